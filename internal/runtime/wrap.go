package runtime

import (
	"github.com/dop251/goja/ast"
	"github.com/dop251/goja/file"
	"github.com/dop251/goja/unistring"
)

// wrapProgram turns the parsed function code into one function expression:
//
//	function (import1, import2, …) { <the code> ; return handler }
//
// Running the compiled program yields that function; each invocation calls it, so every
// request runs the top-level code afresh in its own scope, as CloudFront starts each request
// from a clean copy of the function (spec §10.7). Top-level let/const, which a re-run script
// would redeclare, are simply locals of the call. The nodes keep their source positions, so
// errors and stack traces point at the user's lines and columns. A program whose top level
// holds no state calls the wrapper once per VM instead (stateless.go).
func wrapProgram(prg *ast.Program, src string, imports []importBinding) *ast.Program {
	base := prg.File.Base()
	end := file.Idx(base + len(src))
	params := &ast.ParameterList{Opening: file.Idx(base), Closing: file.Idx(base)}
	for _, im := range imports {
		params.List = append(params.List, &ast.Binding{
			Target: &ast.Identifier{Name: unistring.NewFromString(im.Name), Idx: file.Idx(base + im.start)},
		})
	}
	body := make([]ast.Statement, 0, len(prg.Body)+1)
	body = append(body, prg.Body...)
	body = append(body, &ast.ReturnStatement{
		Return:   end,
		Argument: &ast.Identifier{Name: "handler", Idx: end},
	})
	fn := &ast.FunctionLiteral{
		Function:        file.Idx(base),
		ParameterList:   params,
		Body:            &ast.BlockStatement{LeftBrace: file.Idx(base), List: body, RightBrace: end},
		Source:          src,
		DeclarationList: prg.DeclarationList,
	}
	return &ast.Program{
		Body: []ast.Statement{&ast.ExpressionStatement{Expression: fn}},
		File: prg.File,
	}
}
