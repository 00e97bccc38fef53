package directory

import "context"

// Reads the pages and the federation adapters make that need no rule of
// the domain: each passes straight to the store, so that adapters depend
// on the service alone.

// Ping checks that the store answers.
func (s *Service) Ping(ctx context.Context) error { return s.store.Ping(ctx) }

// DataVersion names the committed data reads see now (Store.Version):
// what is cached under one version is current while it holds.
func (s *Service) DataVersion(ctx context.Context) (string, error) { return s.store.Version(ctx) }

// LocalFederation returns this node's federation.
func (s *Service) LocalFederation(ctx context.Context) (*Federation, error) {
	return s.store.LocalFederation(ctx)
}

// CoopByAPID finds a co-op, local or remote, by actor id.
func (s *Service) CoopByAPID(ctx context.Context, apid string) (*Coop, error) {
	return s.store.CoopByAPID(ctx, apid)
}

// NodeFollows lists what this node follows, oldest first.
func (s *Service) NodeFollows(ctx context.Context) ([]Follow, error) { return s.store.Follows(ctx) }

// Followers pages a local actor's followers by follower id.
func (s *Service) Followers(ctx context.Context, actorAPID, after string, limit int) ([]Follower, error) {
	return s.store.Followers(ctx, actorAPID, after, limit)
}

// CountFollowers counts a local actor's followers.
func (s *Service) CountFollowers(ctx context.Context, actorAPID string) (int, error) {
	return s.store.CountFollowers(ctx, actorAPID)
}

// Tombstone returns the record of a deleted local object or actor.
func (s *Service) Tombstone(ctx context.Context, apid string) (*Tombstone, error) {
	return s.store.Tombstone(ctx, apid)
}
