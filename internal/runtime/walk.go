package runtime

import "github.com/dop251/goja/ast"

// walkAST calls visit for every node under n (n included) with its parent, depth first in
// source order. Returning false from visit skips the node's children.
func walkAST(n, parent ast.Node, visit func(n, parent ast.Node) bool) {
	if isNilNode(n) || !visit(n, parent) {
		return
	}
	each := func(children ...ast.Node) {
		for _, c := range children {
			walkAST(c, n, visit)
		}
	}
	switch n := n.(type) {
	case *ast.Program:
		for _, s := range n.Body {
			each(s)
		}
	case *ast.BlockStatement:
		for _, s := range n.List {
			each(s)
		}
	case *ast.CaseStatement:
		each(n.Test)
		for _, s := range n.Consequent {
			each(s)
		}
	case *ast.CatchStatement:
		each(n.Parameter, n.Body)
	case *ast.DoWhileStatement:
		each(n.Body, n.Test)
	case *ast.ExpressionStatement:
		each(n.Expression)
	case *ast.ForInStatement:
		each(n.Into, n.Source, n.Body)
	case *ast.ForOfStatement:
		each(n.Into, n.Source, n.Body)
	case *ast.ForStatement:
		each(n.Initializer, n.Test, n.Update, n.Body)
	case *ast.IfStatement:
		each(n.Test, n.Consequent, n.Alternate)
	case *ast.LabelledStatement:
		each(n.Statement)
	case *ast.ReturnStatement:
		each(n.Argument)
	case *ast.SwitchStatement:
		each(n.Discriminant)
		for _, c := range n.Body {
			each(c)
		}
	case *ast.ThrowStatement:
		each(n.Argument)
	case *ast.TryStatement:
		each(n.Body, n.Catch, n.Finally)
	case *ast.VariableStatement:
		for _, b := range n.List {
			each(b)
		}
	case *ast.LexicalDeclaration:
		for _, b := range n.List {
			each(b)
		}
	case *ast.WhileStatement:
		each(n.Test, n.Body)
	case *ast.WithStatement:
		each(n.Object, n.Body)
	case *ast.FunctionDeclaration:
		each(n.Function)
	case *ast.ClassDeclaration:
		each(n.Class)
	case *ast.ForLoopInitializerExpression:
		each(n.Expression)
	case *ast.ForLoopInitializerVarDeclList:
		for _, b := range n.List {
			each(b)
		}
	case *ast.ForLoopInitializerLexicalDecl:
		each(&n.LexicalDeclaration)
	case *ast.ForIntoVar:
		each(n.Binding)
	case *ast.ForDeclaration:
		each(n.Target)
	case *ast.ForIntoExpression:
		each(n.Expression)

	case *ast.Binding:
		each(n.Target, n.Initializer)
	case *ast.YieldExpression:
		each(n.Argument)
	case *ast.AwaitExpression:
		each(n.Argument)
	case *ast.ArrayLiteral:
		for _, e := range n.Value {
			each(e)
		}
	case *ast.ArrayPattern:
		for _, e := range n.Elements {
			each(e)
		}
		each(n.Rest)
	case *ast.ObjectPattern:
		for _, p := range n.Properties {
			each(p)
		}
		each(n.Rest)
	case *ast.AssignExpression:
		each(n.Left, n.Right)
	case *ast.BinaryExpression:
		each(n.Left, n.Right)
	case *ast.BracketExpression:
		each(n.Left, n.Member)
	case *ast.CallExpression:
		each(n.Callee)
		for _, a := range n.ArgumentList {
			each(a)
		}
	case *ast.ConditionalExpression:
		each(n.Test, n.Consequent, n.Alternate)
	case *ast.DotExpression:
		each(n.Left)
	case *ast.PrivateDotExpression:
		each(n.Left)
	case *ast.OptionalChain:
		each(n.Expression)
	case *ast.Optional:
		each(n.Expression)
	case *ast.FunctionLiteral:
		each(n.ParameterList, n.Body)
	case *ast.ParameterList:
		for _, b := range n.List {
			each(b)
		}
		each(n.Rest)
	case *ast.ClassLiteral:
		each(n.SuperClass)
		for _, el := range n.Body {
			each(el)
		}
	case *ast.FieldDefinition:
		each(n.Key, n.Initializer)
	case *ast.MethodDefinition:
		each(n.Key, n.Body)
	case *ast.ClassStaticBlock:
		each(n.Block)
	case *ast.ArrowFunctionLiteral:
		each(n.ParameterList, n.Body)
	case *ast.ExpressionBody:
		each(n.Expression)
	case *ast.NewExpression:
		each(n.Callee)
		for _, a := range n.ArgumentList {
			each(a)
		}
	case *ast.ObjectLiteral:
		for _, p := range n.Value {
			each(p)
		}
	case *ast.PropertyKeyed:
		each(n.Key, n.Value)
	case *ast.PropertyShort:
		each(&n.Name, n.Initializer)
	case *ast.SpreadElement:
		each(n.Expression)
	case *ast.SequenceExpression:
		for _, e := range n.Sequence {
			each(e)
		}
	case *ast.TemplateLiteral:
		each(n.Tag)
		for _, e := range n.Expressions {
			each(e)
		}
	case *ast.UnaryExpression:
		each(n.Operand)
	}
}

// isNilNode reports whether n is nil or a typed nil pointer held in the interface.
func isNilNode(n ast.Node) bool {
	if n == nil {
		return true
	}
	switch n := n.(type) {
	case *ast.BlockStatement:
		return n == nil
	case *ast.CatchStatement:
		return n == nil
	case *ast.Binding:
		return n == nil
	case *ast.FunctionLiteral:
		return n == nil
	case *ast.ParameterList:
		return n == nil
	case *ast.ClassLiteral:
		return n == nil
	case *ast.Identifier:
		return n == nil
	case *ast.ExpressionBody:
		return n == nil
	}
	return false
}
