package certs

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// recorder is the ACME client's transport: it notes why a request to the
// CA failed, since autocert's renewals report nothing of their own.
type recorder struct {
	base   http.RoundTripper
	status *status
}

// maxRecorded bounds the part of an ACME answer read for its error.
const maxRecorded = 1 << 20

// problem is an ACME error document (RFC 8555, section 6.7) or an object
// whose "status" may be "invalid" with an error inside.
type problem struct {
	Type       string    `json:"type"`
	Detail     string    `json:"detail"`
	Status     any       `json:"status"`
	Error      *problem  `json:"error"`
	Challenges []problem `json:"challenges"`
}

func (r *recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := r.base.RoundTrip(req)
	if err != nil {
		r.status.fail(fmt.Sprintf("cannot reach the ACME server %s: %v", req.URL.Host, err))
		return nil, err
	}
	if !strings.Contains(resp.Header.Get("Content-Type"), "json") {
		return resp, nil
	}
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxRecorded))
	resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	if err != nil {
		return resp, nil
	}
	var p problem
	if json.Unmarshal(body, &p) != nil {
		return resp, nil
	}
	switch {
	case resp.StatusCode >= 400 && !strings.HasSuffix(p.Type, ":badNonce"):
		// A bad nonce is retried by the client at once.
		r.status.fail(fmt.Sprintf("the ACME server %s answered %d: %s", req.URL.Host, resp.StatusCode, cmp.Or(p.Detail, p.Type)))
	case p.Status == "invalid":
		if d := p.detail(); d != "" {
			r.status.fail(fmt.Sprintf("the ACME server %s refused: %s", req.URL.Host, d))
		}
	}
	return resp, nil
}

// detail finds the reason an order or authorization is invalid.
func (p *problem) detail() string {
	if p.Error != nil && p.Error.Detail != "" {
		return p.Error.Detail
	}
	for _, c := range p.Challenges {
		if c.Error != nil && c.Error.Detail != "" {
			return c.Error.Detail
		}
	}
	return ""
}
