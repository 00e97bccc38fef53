package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"strings"

	"github.com/colmena-coop/colmena/directory"
)

// MaxBody is the largest request body the API reads.
const MaxBody = 1 << 20

// decodeJSON reads a JSON object into v strictly: unknown fields, wrong
// types, trailing data and bodies over MaxBody are refused with an error
// that names the field.
func decodeJSON(w http.ResponseWriter, r *http.Request, v any) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
			return &httpError{status: http.StatusUnsupportedMediaType, msg: "send JSON with Content-Type: application/json"}
		}
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBody))
	if err != nil {
		return err
	}
	return decodeStrict(body, v)
}

func decodeStrict(body []byte, v any) error {
	if len(bytes.TrimSpace(body)) == 0 {
		return directory.Invalidf("body", "is empty; send a JSON object")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(err)
	}
	if dec.More() {
		return directory.Invalidf("body", "has data after the JSON object")
	}
	return nil
}

func jsonError(err error) error {
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return directory.Invalidf("body", "is not valid JSON (at byte %d: %v)", syn.Offset, syn)
	case errors.As(err, &typ):
		field := typ.Field
		if field == "" {
			return directory.Invalidf("body", "must be a JSON object")
		}
		return directory.Invalidf(field, "must be %s, not %s", describeType(typ.Type.String()), typ.Value)
	case errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, io.EOF):
		return directory.Invalidf("body", "is not valid JSON (it ends too soon)")
	}
	if f, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return directory.Invalidf(strings.Trim(f, `"`), "is not a known field")
	}
	var de *directory.Error
	if errors.As(err, &de) {
		return err
	}
	return directory.Invalidf("body", "%v", err)
}

func describeType(t string) string {
	switch {
	case strings.Contains(t, "int"):
		return "a whole number"
	case strings.HasSuffix(t, "string"):
		if strings.Contains(t, "[]") {
			return "a list of strings"
		}
		return "a string"
	case strings.Contains(t, "bool"):
		return "true or false"
	case strings.HasPrefix(t, "[]") || strings.HasPrefix(t, "*[]"):
		return "a list"
	default:
		return fmt.Sprintf("an object (%s)", strings.TrimPrefix(t, "*web."))
	}
}
