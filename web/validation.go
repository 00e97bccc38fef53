package web

import (
	"errors"

	"github.com/colmena-coop/colmena/directory"
)

// fieldMessage says what is wrong with a form field, in l's language: a
// coded validation message by its code ("validation.<code>", its
// arguments as .A, .B, .C), anything else as the domain wrote it.
func (l *Locale) fieldMessage(err error) string {
	var de *directory.Error
	if !errors.As(err, &de) || de.Code == "" {
		return directory.SafeMessage(err)
	}
	kv := make([]any, 0, 2*len(de.Args))
	for i, a := range de.Args {
		kv = append(kv, string(rune('A'+i)), a)
	}
	return l.T(validationID(de.Code), kv...)
}

func validationID(c directory.Code) string { return "validation." + string(c) }
