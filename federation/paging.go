package federation

import (
	"context"
	"encoding/json"
	"fmt"
)

// pageCollectionAll walks an OrderedCollection from its first page,
// bounded, and reports whether it read every page (the page limit was not
// reached).
func (f *Federation) pageCollectionAll(ctx context.Context, id string, each func(json.RawMessage) error) (bool, error) {
	raw, err := f.client.GetActivity(ctx, id)
	if err != nil {
		return false, err
	}
	var root struct {
		First        json.RawMessage   `json:"first"`
		OrderedItems []json.RawMessage `json:"orderedItems"`
		Items        []json.RawMessage `json:"items"`
	}
	if err := json.Unmarshal(raw, &root); err != nil {
		return false, err
	}
	for _, it := range append(root.OrderedItems, root.Items...) {
		if err := each(it); err != nil {
			return false, err
		}
	}
	next := ""
	_ = json.Unmarshal(root.First, &next)
	for pages := 0; next != "" && pages < MaxBackfillPages; pages++ {
		if hostOf(next) != hostOf(id) {
			return false, fmt.Errorf("page %s is not on %s", next, hostOf(id))
		}
		raw, err := f.client.GetActivity(ctx, next)
		if err != nil {
			return false, err
		}
		var page struct {
			Next         string            `json:"next"`
			OrderedItems []json.RawMessage `json:"orderedItems"`
			Items        []json.RawMessage `json:"items"`
		}
		if err := json.Unmarshal(raw, &page); err != nil {
			return false, err
		}
		for _, it := range append(page.OrderedItems, page.Items...) {
			if err := each(it); err != nil {
				return false, err
			}
		}
		next = page.Next
	}
	return next == "", nil
}
