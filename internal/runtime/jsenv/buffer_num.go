package jsenv

import (
	"math"
	"strconv"

	"github.com/dop251/goja"
)

// numberFormat describes one fixed-size read*/write* method pair.
type numberFormat struct {
	name   string // e.g. "UInt16BE"
	size   int    // bytes; 0 for IntBE & co, whose size is an argument
	signed bool
	float  bool
	little bool
}

var numberFormats = []numberFormat{
	{"Int8", 1, true, false, false}, {"UInt8", 1, false, false, false},
	{"Int16BE", 2, true, false, false}, {"Int16LE", 2, true, false, true},
	{"UInt16BE", 2, false, false, false}, {"UInt16LE", 2, false, false, true},
	{"Int32BE", 4, true, false, false}, {"Int32LE", 4, true, false, true},
	{"UInt32BE", 4, false, false, false}, {"UInt32LE", 4, false, false, true},
	{"FloatBE", 4, true, true, false}, {"FloatLE", 4, true, true, true},
	{"DoubleBE", 8, true, true, false}, {"DoubleLE", 8, true, true, true},
	{"IntBE", 0, true, false, false}, {"IntLE", 0, true, false, true},
	{"UIntBE", 0, false, false, false}, {"UIntLE", 0, false, false, true},
}

func (e *env) installBufferNumbers(proto *goja.Object) {
	for _, f := range numberFormats {
		f := f
		argc := 1
		if f.size == 0 {
			argc = 2
		}
		e.method(proto, "read"+f.name, argc, func(c goja.FunctionCall) goja.Value {
			b := e.thisBytes(c)
			size := f.size
			if size == 0 {
				size = e.byteLengthArg(arg(c, 1))
			}
			off := e.numberOffset(arg(c, 0), size, len(b))
			return e.vm.ToValue(f.read(b[off : off+size]))
		})
		e.method(proto, "write"+f.name, argc+1, func(c goja.FunctionCall) goja.Value {
			b := e.thisBytes(c)
			size := f.size
			if size == 0 {
				size = e.byteLengthArg(arg(c, 2))
			}
			off := e.numberOffset(arg(c, 1), size, len(b))
			f.write(b[off:off+size], arg(c, 0).ToFloat())
			return e.vm.ToValue(off + size)
		})
	}
}

// byteLengthArg checks the byteLength of readIntBE & co (1–6), with njs's texts.
func (e *env) byteLengthArg(v goja.Value) int {
	if !isNumber(v) {
		e.typeError(`"byteLength" is not a number`)
	}
	n := toInteger(v)
	if n > 6 {
		e.typeError(`"byteLength" must be <= 6`)
	}
	if n < 1 {
		e.typeError(`"byteLength" must be >= 1`)
	}
	return int(n)
}

// numberOffset resolves the offset of a read/write of size bytes within n.
func (e *env) numberOffset(v goja.Value, size, n int) int {
	if goja.IsUndefined(v) {
		v = e.vm.ToValue(0)
	}
	f := toInteger(v)
	if f < 0 {
		e.rangeError("invalid index")
	}
	if f+float64(size) > float64(n) {
		e.rangeError("index " + strconv.FormatFloat(f, 'f', -1, 64) + " is outside the bound of the buffer")
	}
	return int(f)
}

func (f numberFormat) read(b []byte) float64 {
	var u uint64
	for i := range b {
		j := i
		if f.little {
			j = len(b) - 1 - i
		}
		u = u<<8 | uint64(b[j])
	}
	bits := uint(len(b) * 8)
	switch {
	case f.float && len(b) == 4:
		return float64(math.Float32frombits(uint32(u)))
	case f.float:
		return math.Float64frombits(u)
	case f.signed && u&(1<<(bits-1)) != 0:
		return float64(int64(u) - int64(1)<<bits)
	}
	return float64(u)
}

func (f numberFormat) write(b []byte, v float64) {
	var u uint64
	switch {
	case f.float && len(b) == 4:
		u = uint64(math.Float32bits(float32(v)))
	case f.float:
		u = math.Float64bits(v)
	case math.IsNaN(v) || math.IsInf(v, 0):
		u = 0
	default:
		// Wrap modulo 2^bits like njs (no range check: writeUInt8(300) stores 44).
		m := math.Mod(math.Trunc(v), math.Ldexp(1, len(b)*8))
		if m < 0 {
			m += math.Ldexp(1, len(b)*8)
		}
		u = uint64(m)
	}
	for i := range b {
		j := len(b) - 1 - i
		if f.little {
			j = i
		}
		b[j] = byte(u >> (8 * uint(i)))
	}
}
