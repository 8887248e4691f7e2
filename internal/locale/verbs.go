package locale

import (
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// verbSignature returns a canonical description of the fmt verbs in a
// message: each argument it uses, by 1-based index, with the verbs applied to
// it, as in "%[1]d %[2]s". Two messages with the same signature consume the
// same arguments the same way, whatever the order of the verbs in the text,
// so a translation may reorder arguments with explicit indexes.
//
// It follows fmt's own parsing (flags, [n] indexes, width, precision) and
// refuses what fmt would render as garbage: a lone % at the end, a % followed
// by a space or a non-letter (a literal percent sign must be written %%), and
// * widths, which take their value from an argument.
func verbSignature(s string) (string, error) {
	used := map[int][]byte{}
	arg := 1
	for i := 0; i < len(s); {
		if s[i] != '%' {
			i++
			continue
		}
		start := i
		i++
		if i < len(s) && s[i] == '%' {
			i++
			continue
		}
		for i < len(s) && strings.IndexByte("+-#0", s[i]) >= 0 {
			i++
		}
		if i < len(s) && s[i] == ' ' {
			return "", fmt.Errorf("%% followed by a space at byte %d: write %%%% for a literal percent sign", start)
		}
		var err error
		if arg, i, err = argIndex(s, i, arg); err != nil {
			return "", err
		}
		for i < len(s) && s[i] >= '0' && s[i] <= '9' {
			i++
		}
		if i < len(s) && s[i] == '.' {
			i++
			for i < len(s) && s[i] >= '0' && s[i] <= '9' {
				i++
			}
		}
		if arg, i, err = argIndex(s, i, arg); err != nil {
			return "", err
		}
		if i >= len(s) {
			return "", fmt.Errorf("incomplete verb at byte %d: write %%%% for a literal percent sign", start)
		}
		if s[i] == '*' {
			return "", fmt.Errorf("* width or precision at byte %d is not supported in messages", start)
		}
		verb, size := utf8.DecodeRuneInString(s[i:])
		if (verb < 'a' || verb > 'z') && (verb < 'A' || verb > 'Z') {
			return "", fmt.Errorf("bad verb %q at byte %d: write %%%% for a literal percent sign", verb, start)
		}
		i += size
		if !slices.Contains(used[arg], byte(verb)) { //nolint:gosec // verb is an ASCII letter (checked above)
			used[arg] = append(used[arg], byte(verb)) //nolint:gosec // idem
		}
		arg++
	}
	if len(used) == 0 {
		return "no verbs", nil
	}
	args := make([]int, 0, len(used))
	for a := range used {
		args = append(args, a)
	}
	slices.Sort(args)
	var b strings.Builder
	for _, a := range args {
		verbs := used[a]
		slices.Sort(verbs)
		for _, v := range verbs {
			if b.Len() > 0 {
				b.WriteByte(' ')
			}
			fmt.Fprintf(&b, "%%[%d]%c", a, v)
		}
	}
	return b.String(), nil
}

// argIndex parses an explicit argument index "[n]" at s[i:], if there is
// one, and returns the argument the next verb consumes and the position after
// the index.
func argIndex(s string, i, arg int) (int, int, error) {
	if i >= len(s) || s[i] != '[' {
		return arg, i, nil
	}
	end := strings.IndexByte(s[i:], ']')
	if end < 0 {
		return 0, 0, fmt.Errorf("unclosed argument index at byte %d", i)
	}
	n, err := strconv.Atoi(s[i+1 : i+end])
	if err != nil || n < 1 {
		return 0, 0, errors.New("bad argument index " + strconv.Quote(s[i:i+end+1]))
	}
	return n, i + end + 1, nil
}
