package directory

import (
	"context"
	"time"
)

// JobDraft is an opening a co-op prepares before publishing it: the job
// form as saved, complete or not. Drafts are neither listed nor federated.
type JobDraft struct {
	ID        int64
	CoopID    int64
	Title     string
	Fields    map[string]string
	UpdatedAt time.Time
}

// DraftStore keeps co-ops' drafts.
type DraftStore interface {
	// SaveDraft inserts a draft (ID 0) or replaces one of the co-op's.
	SaveDraft(ctx context.Context, d *JobDraft) error
	// Drafts lists a co-op's drafts, newest first.
	Drafts(ctx context.Context, coopID int64) ([]JobDraft, error)
	// Draft returns one of a co-op's drafts.
	Draft(ctx context.Context, coopID, id int64) (*JobDraft, error)
	// DeleteDraft removes one of a co-op's drafts.
	DeleteDraft(ctx context.Context, coopID, id int64) error
}

// MaxDraftField bounds each saved field of a draft.
const MaxDraftField = 20_000

// SaveDraft stores a draft of the co-op handle for its members and the
// admin; id 0 makes a new one. A suspended co-op's drafts, like all its
// changes, wait for it to be reinstated (ManagedCoop).
func (s *Service) SaveDraft(ctx context.Context, p Principal, handle string, id int64, fields map[string]string) (*JobDraft, error) {
	c, err := s.ManagedCoop(ctx, p, handle)
	if err != nil {
		return nil, err
	}
	for k, v := range fields {
		if len(v) > MaxDraftField {
			return nil, Invalid(k, CodeDraftLong)
		}
	}
	d := &JobDraft{ID: id, CoopID: c.ID, Title: fields["title"], Fields: fields, UpdatedAt: s.clock()}
	if err := s.store.SaveDraft(ctx, d); err != nil {
		return nil, err
	}
	return d, nil
}

// Drafts lists a co-op's drafts, for its members and the admin.
func (s *Service) Drafts(ctx context.Context, p Principal, handle string) ([]JobDraft, error) {
	c, err := s.ManagedCoop(ctx, p, handle)
	if err != nil {
		return nil, err
	}
	return s.store.Drafts(ctx, c.ID)
}

// Draft returns one draft of a co-op.
func (s *Service) Draft(ctx context.Context, p Principal, handle string, id int64) (*JobDraft, error) {
	c, err := s.ManagedCoop(ctx, p, handle)
	if err != nil {
		return nil, err
	}
	return s.store.Draft(ctx, c.ID, id)
}

// DeleteDraft removes a draft; publishing one deletes it too.
func (s *Service) DeleteDraft(ctx context.Context, p Principal, handle string, id int64) error {
	c, err := s.ManagedCoop(ctx, p, handle)
	if err != nil {
		return err
	}
	return s.store.DeleteDraft(ctx, c.ID, id)
}
