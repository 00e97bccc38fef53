package directory

import (
	"bytes"
	"context"
	"image"
	_ "image/gif"  // logos may be GIF,
	_ "image/jpeg" // JPEG
	_ "image/png"  // or PNG
	"net/http"
	"time"
)

// Logo is a co-op's image.
type Logo struct {
	ContentType string
	Data        []byte
	UpdatedAt   time.Time
}

// LogoStore keeps co-ops' logos.
type LogoStore interface {
	// PutLogo stores a local co-op's logo and records an update of the
	// co-op, so that its followers refresh its avatar; a suspended co-op
	// is refused (KindForbidden).
	PutLogo(ctx context.Context, coopID int64, l *Logo) error
	// Logo returns a co-op's logo; KindNotFound when it has none.
	Logo(ctx context.Context, coopID int64) (*Logo, error)
	// PutRemoteLogo caches the logo of a co-op hosted elsewhere, fetched
	// from its actor's icon; a local co-op is refused (KindForbidden).
	PutRemoteLogo(ctx context.Context, coopID int64, l *Logo) error
	// LogoTimes returns when the logos of those co-ops that have one
	// were stored, by co-op id.
	LogoTimes(ctx context.Context, coopIDs []int64) (map[int64]time.Time, error)
}

// Logo limits: small enough for an avatar, large enough for a crisp one.
const (
	MaxLogoBytes = 512 << 10
	MaxLogoSide  = 2048
)

// CheckLogo accepts a PNG, JPEG or GIF of at most MaxLogoBytes and
// MaxLogoSide pixels a side, read from its bytes, never from what the
// upload claims; it returns the content type.
func CheckLogo(data []byte) (string, error) {
	if len(data) == 0 {
		return "", Invalid("logo", CodeLogoMissing)
	}
	if len(data) > MaxLogoBytes {
		return "", Invalid("logo", CodeLogoBytes, len(data)>>10, MaxLogoBytes>>10)
	}
	ct := http.DetectContentType(data)
	switch ct {
	case "image/png", "image/jpeg", "image/gif":
	default:
		return "", Invalid("logo", CodeLogoType)
	}
	cfg, _, err := image.DecodeConfig(bytes.NewReader(data))
	if err != nil {
		return "", Invalid("logo", CodeLogoUnreadable)
	}
	if cfg.Width < 1 || cfg.Height < 1 || cfg.Width > MaxLogoSide || cfg.Height > MaxLogoSide {
		return "", Invalid("logo", CodeLogoPixels, cfg.Width, cfg.Height, MaxLogoSide)
	}
	// The header can be fine and the rest broken: decode it all, which the
	// size limits keep cheap.
	if _, _, err := image.Decode(bytes.NewReader(data)); err != nil {
		return "", Invalid("logo", CodeLogoUnreadable)
	}
	return ct, nil
}

// SetLogo checks and stores a local co-op's logo, for its members and the
// admin, unless it is suspended.
func (s *Service) SetLogo(ctx context.Context, p Principal, handle string, data []byte) error {
	c, err := s.ManagedCoop(ctx, p, handle)
	if err != nil {
		return err
	}
	ct, err := CheckLogo(data)
	if err != nil {
		return err
	}
	if err := s.store.PutLogo(ctx, c.ID, &Logo{ContentType: ct, Data: data, UpdatedAt: s.clock()}); err != nil {
		return err
	}
	s.changed()
	s.Audit(ctx, p, "coop.logo", c.Handle, "")
	return nil
}

// LogoTimes returns when the logos of those co-ops that have one were
// stored, by co-op id: what their addresses carry.
func (s *Service) LogoTimes(ctx context.Context, coopIDs []int64) (map[int64]time.Time, error) {
	if len(coopIDs) == 0 {
		return map[int64]time.Time{}, nil
	}
	return s.store.LogoTimes(ctx, coopIDs)
}

// CoopLogo returns a co-op's logo.
func (s *Service) CoopLogo(ctx context.Context, c *Coop) (*Logo, error) {
	return s.store.Logo(ctx, c.ID)
}
