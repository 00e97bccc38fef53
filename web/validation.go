package web

import (
	"errors"

	"github.com/colmena-coop/colmena/directory"
)

// fieldMessage says what is wrong with a form field, in l's language: a
// coded validation message by its code ("validation.<code>", its
// arguments as .A, .B, .C), anything else as the domain wrote it, without
// the API's field prefix.
func (l *Locale) fieldMessage(err error) string {
	var de *directory.Error
	if !errors.As(err, &de) || de.Kind == directory.KindInternal {
		return directory.SafeMessage(err)
	}
	if de.Code == "" {
		// Worded by the domain in English, without the field's name: the
		// page names the field by its label.
		return sentence(de.Message)
	}
	kv := make([]any, 0, 2*len(de.Args))
	for i, a := range de.Args {
		kv = append(kv, string(rune('A'+i)), l.argText(de.Code, a))
	}
	return l.T(validationID(de.Code), kv...)
}

// argText formats a number of a validation message the way the language
// writes numbers ("20,000", "20.000"); a year or an account's number is
// written as is, and text stays text.
func (l *Locale) argText(c directory.Code, a any) any {
	if c == directory.CodeYear || c == directory.CodeNoUser {
		return a
	}
	switch v := a.(type) {
	case int:
		return l.Num(v)
	case int64:
		return l.Num(int(v))
	case float64:
		return l.Float(v)
	}
	return a
}

func validationID(c directory.Code) string { return "validation." + string(c) }
