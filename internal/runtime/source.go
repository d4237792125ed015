package runtime

import "unicode/utf8"

// lineIndex maps byte offsets of a source text to 1-based line:column positions and back.
// Line breaks follow goja's parser (\n, \r\n, \r, U+2028, U+2029) so positions agree with its
// errors; columns count characters (runes), as an editor shows them.
type lineIndex struct {
	src    string
	starts []int // byte offset of each line's first byte
}

func newLineIndex(src string) *lineIndex {
	li := &lineIndex{src: src, starts: []int{0}}
	for i := 0; i < len(src); {
		c := src[i]
		switch {
		case c == '\n':
			i++
			li.starts = append(li.starts, i)
		case c == '\r':
			i++
			if i < len(src) && src[i] == '\n' {
				i++
			}
			li.starts = append(li.starts, i)
		case c == 0xE2 && i+2 < len(src) && src[i+1] == 0x80 && (src[i+2] == 0xA8 || src[i+2] == 0xA9):
			i += 3
			li.starts = append(li.starts, i)
		default:
			i++
		}
	}
	return li
}

// position returns the line and character column of a byte offset.
func (li *lineIndex) position(offset int) (line, col int) {
	if offset < 0 {
		offset = 0
	}
	if offset > len(li.src) {
		offset = len(li.src)
	}
	lo, hi := 0, len(li.starts)-1
	for lo < hi { // last start <= offset
		mid := (lo + hi + 1) / 2
		if li.starts[mid] <= offset {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return lo + 1, utf8.RuneCountInString(li.src[li.starts[lo]:offset]) + 1
}

// offset returns the byte offset of a 1-based line and 1-based byte column, as goja's parser
// reports them.
func (li *lineIndex) offset(line, byteCol int) int {
	if line < 1 {
		line = 1
	}
	if line > len(li.starts) {
		return len(li.src)
	}
	o := li.starts[line-1] + byteCol - 1
	if o < 0 {
		o = 0
	}
	if o > len(li.src) {
		o = len(li.src)
	}
	return o
}
