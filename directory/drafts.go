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
	// ClosedFrom is the id of the job this draft keeps since it was
	// closed (UpdatedAt is when); empty for a draft never published.
	ClosedFrom string
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

// Drafts lists a co-op's drafts, for its members and the admin; its
// closed jobs are listed by ClosedJobs.
func (s *Service) Drafts(ctx context.Context, p Principal, handle string) ([]JobDraft, error) {
	return s.drafts(ctx, p, handle, false)
}

// ClosedJobs lists the co-op's closed jobs, newest first, each kept as a
// draft that names the job it was.
func (s *Service) ClosedJobs(ctx context.Context, p Principal, handle string) ([]JobDraft, error) {
	return s.drafts(ctx, p, handle, true)
}

func (s *Service) drafts(ctx context.Context, p Principal, handle string, closed bool) ([]JobDraft, error) {
	c, err := s.ManagedCoop(ctx, p, handle)
	if err != nil {
		return nil, err
	}
	all, err := s.store.Drafts(ctx, c.ID)
	if err != nil {
		return nil, err
	}
	var out []JobDraft
	for _, d := range all {
		if (d.ClosedFrom != "") == closed {
			out = append(out, d)
		}
	}
	return out, nil
}

// CloseJob closes one of a co-op's local jobs as DeleteJob does (it
// leaves search, followers get a Delete and its id answers 410) and
// keeps its form, fields, as a closed draft, for the co-op to open it
// again as a new job. The draft is written first, so that a failure
// loses nothing.
func (s *Service) CloseJob(ctx context.Context, p Principal, ref string, fields map[string]string) (*JobDraft, error) {
	j, err := s.localJob(ctx, p, ref)
	if err != nil {
		return nil, err
	}
	c, err := s.ManagedCoop(ctx, p, j.Coop.Handle)
	if err != nil {
		return nil, err
	}
	for k, v := range fields {
		if len(v) > MaxDraftField {
			return nil, Invalid(k, CodeDraftLong)
		}
	}
	d := &JobDraft{CoopID: c.ID, Title: j.Title, Fields: fields, UpdatedAt: s.clock(), ClosedFrom: j.APID}
	if err := s.store.SaveDraft(ctx, d); err != nil {
		return nil, err
	}
	if err := s.DeleteJob(ctx, p, ref); err != nil {
		if derr := s.store.DeleteDraft(ctx, c.ID, d.ID); derr != nil {
			s.log.ErrorContext(ctx, "a closed job's draft stays after the job could not be closed", "draft", d.ID, "error", derr)
		}
		return nil, err
	}
	return d, nil
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
