package federation

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/go-fed/activity/streams"

	"github.com/colmena-coop/colmena/directory"
)

// Incoming is an activity as received: what the inbox reads before
// dispatching.
type Incoming struct {
	ID     string
	Type   string
	Actor  string
	Object *objectRef
	Raw    []byte
}

// incoming is the raw shape of an activity.
type incoming struct {
	Context json.RawMessage `json:"@context"`
	ID      string          `json:"id"`
	Type    stringOrList    `json:"type"`
	Actor   json.RawMessage `json:"actor"`
	Object  json.RawMessage `json:"object"`
}

// objectRef is an object given by id or embedded.
type objectRef struct {
	ID     string
	Type   string
	Actor  string
	Object string
	Raw    json.RawMessage
}

// parseRef reads an object given by id or embedded. It decodes the
// object once and reads only the ids of its actor and object, never
// their own contents: what costs it makes stays linear in the bytes.
func parseRef(raw json.RawMessage) (*objectRef, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errors.New("missing")
	}
	if raw[0] == '"' {
		var s string
		if err := json.Unmarshal(raw, &s); err != nil {
			return nil, errors.New("neither an id nor an object")
		}
		return &objectRef{ID: s, Raw: raw}, nil
	}
	var o struct {
		ID     string       `json:"id"`
		Type   stringOrList `json:"type"`
		Actor  idRef        `json:"actor"`
		Object idRef        `json:"object"`
	}
	if err := json.Unmarshal(raw, &o); err != nil {
		return nil, errors.New("neither an id nor an object")
	}
	ref := &objectRef{ID: o.ID, Raw: raw, Actor: string(o.Actor), Object: string(o.Object)}
	if len(o.Type) > 0 {
		ref.Type = o.Type[0]
	}
	return ref, nil
}

// idRef is the id of a value given as an id or as an object; anything
// else reads as no id. It does not look inside the object further.
type idRef string

func (r *idRef) UnmarshalJSON(b []byte) error {
	if len(b) > 0 && b[0] == '"' {
		var s string
		if json.Unmarshal(b, &s) == nil {
			*r = idRef(s)
		}
		return nil
	}
	var o struct {
		ID string `json:"id"`
	}
	if json.Unmarshal(b, &o) == nil {
		*r = idRef(o.ID)
	}
	return nil
}

// DecodeActivity parses an activity from a remote server: JSON with the
// ActivityStreams @context, an id, a type, an actor and, for the types
// this node acts on, an object and vocabulary go-fed accepts. It refuses
// a document nesting deeper than MaxDepth before decoding it, and ids
// longer than MaxIDLength. Errors are
// of kind invalid: the inbox answers 400.
func DecodeActivity(ctx context.Context, body []byte) (*Incoming, error) {
	if err := checkDepth(body, MaxDepth); err != nil {
		return nil, directory.Invalidf("", "the activity is refused: %v", err)
	}
	var act incoming
	if err := json.Unmarshal(body, &act); err != nil {
		return nil, directory.Invalidf("", "the activity is not valid JSON")
	}
	if !hasASContext(act.Context) {
		return nil, directory.Invalidf("", "the activity lacks the ActivityStreams @context")
	}
	if len(act.Type) == 0 || act.Type[0] == "" {
		return nil, directory.Invalidf("", "the activity has no type")
	}
	if act.ID == "" {
		return nil, directory.Invalidf("", "the activity has no id")
	}
	if len(act.ID) > MaxIDLength {
		return nil, directory.Invalidf("", "the activity id is longer than %d bytes", MaxIDLength)
	}
	if _, err := checkURL(act.ID); err != nil {
		return nil, directory.Invalidf("", "the activity id is not an http(s) URL")
	}
	actorRef, err := parseRef(act.Actor)
	if err != nil || actorRef.ID == "" {
		return nil, directory.Invalidf("", "the activity has no actor")
	}
	if len(actorRef.ID) > MaxIDLength {
		return nil, directory.Invalidf("", "the activity's actor is longer than %d bytes", MaxIDLength)
	}
	in := &Incoming{ID: act.ID, Type: act.Type[0], Actor: actorRef.ID, Raw: body, Object: &objectRef{}}
	if !knownTypes[in.Type] {
		return in, nil
	}
	var m map[string]any
	if err := json.Unmarshal(body, &m); err != nil {
		return nil, directory.Invalidf("", "the activity is not a JSON object")
	}
	if _, err := streams.ToType(ctx, m); err != nil {
		return nil, directory.Invalidf("", "the %s activity is malformed: %v", in.Type, err)
	}
	if in.Object, err = parseRef(act.Object); err != nil {
		return nil, directory.Invalidf("", "the activity's object is %v", err)
	}
	for _, id := range []struct{ what, id string }{{"object's id", in.Object.ID}, {"object's actor", in.Object.Actor},
		{"object's object", in.Object.Object}} {
		if len(id.id) > MaxIDLength {
			return nil, directory.Invalidf("", "the activity's %s is longer than %d bytes", id.what, MaxIDLength)
		}
	}
	return in, nil
}
