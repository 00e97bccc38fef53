package postgres

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	"github.com/jackc/pgx/v5/pgtype"

	"github.com/colmena-coop/colmena/directory"
	"github.com/colmena-coop/colmena/directory/sqlstore"
)

// dialect is how PostgreSQL stores what sqlstore writes: $n placeholders,
// timestamptz times and text[] lists.
type dialect struct {
	// maps decode text[] as database/sql hands it over (its text form);
	// a pgtype.Map is not safe for concurrent use, so each scan borrows one.
	maps *sync.Pool
}

func newDialect() dialect {
	return dialect{maps: &sync.Pool{New: func() any { return pgtype.NewMap() }}}
}

// Rebind numbers the ? placeholders outside quoted text and identifiers.
func (dialect) Rebind(query string) string {
	if !strings.Contains(query, "?") {
		return query
	}
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteString("$" + strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

func (dialect) Time(t time.Time) any { return t.UTC() }

func (dialect) NullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t.UTC()
}

func (dialect) ScanTime(dst *time.Time) sql.Scanner { return timeScanner{dst} }

type timeScanner struct{ t *time.Time }

func (s timeScanner) Scan(v any) error {
	switch x := v.(type) {
	case nil:
		*s.t = time.Time{}
	case time.Time:
		*s.t = x.UTC()
	default:
		return fmt.Errorf("postgres: a time stored as %T", v)
	}
	return nil
}

func (dialect) List(v []string) any {
	if v == nil {
		return []string{}
	}
	return v
}

func (d dialect) ScanList(dst *[]string) sql.Scanner { return listScanner{v: dst, maps: d.maps} }

type listScanner struct {
	v    *[]string
	maps *sync.Pool
}

func (l listScanner) Scan(src any) error {
	m := l.maps.Get().(*pgtype.Map)
	defer l.maps.Put(m)
	*l.v = nil
	if err := m.SQLScanner(l.v).Scan(src); err != nil {
		return err
	}
	if *l.v == nil {
		*l.v = []string{}
	}
	return nil
}

func (dialect) ErrorKind(err error) (directory.Kind, bool) {
	var pe *pgconn.PgError
	if errors.As(err, &pe) {
		switch pe.Code {
		case "23505": // unique_violation
			return directory.KindConflict, true
		case "23503": // foreign_key_violation
			return directory.KindNotFound, true
		}
	}
	return 0, false
}

// ClaimDeliveriesSQL skips rows another replica has locked, so replicas
// claim side by side without taking the same delivery.
func (dialect) ClaimDeliveriesSQL() string {
	return `UPDATE deliveries SET next_attempt_at = ?
		WHERE id IN (SELECT id FROM deliveries WHERE host = ? AND state = 'pending' AND next_attempt_at <= ?
			ORDER BY next_attempt_at, id LIMIT ? FOR UPDATE SKIP LOCKED)
		RETURNING ` + sqlstore.DeliveryColumns
}

// LockForPurge: imports check blocks after writing, in their own
// transaction; this lock makes a concurrent import either finish before
// the purge or see the block.
func (dialect) LockForPurge() string {
	return `LOCK TABLE coops, jobs, federations IN SHARE ROW EXCLUSIVE MODE`
}

// LockRates conflicts with the row-share lock a job's write takes when
// it reads its rate ForShare.
func (dialect) LockRates() string { return `LOCK TABLE rates IN EXCLUSIVE MODE` }

// ForShare holds the row read against concurrent updates: a co-op's
// suspension waits for a job being published, or the job sees it.
func (dialect) ForShare() string { return ` FOR SHARE` }

// ForUpdate locks the rows read against every other writer until the
// transaction ends.
func (dialect) ForUpdate() string { return ` FOR UPDATE` }

// IndexJob sets the job's tsvector: title tokens weigh A, the rest B,
// title terms C and the rest's terms D (directory.Index). The vector is
// written out in full, lexemes and positions, so that PostgreSQL's
// parser and dictionaries change nothing: a lexeme is a token or term
// exactly as the directory package made it, as on SQLite.
func (dialect) IndexJob(ctx context.Context, tx sqlstore.Querier, j *directory.Job) error {
	title := directory.Index(j.Languages, j.Title)
	body := directory.Index(j.Languages, strings.Join(j.Skills, " "), j.City, j.Description)
	_, err := tx.ExecContext(ctx, `UPDATE jobs SET search = ?::tsvector WHERE id = ?`, searchVector(title, body), j.ID)
	return err
}

// maxPosition is the largest position a tsvector keeps.
const maxPosition = 16383

// searchVector writes a job's tsvector. Tokens take positions in order,
// the body's from two past the title's end, so that no phrase spans
// both, as on SQLite where they are columns apart. Terms are matched
// alone, never in phrases; they all take the one position no token has,
// just past the title, so that none shares a position with a token of
// the same spelling and loses its weight to it (of two weights at one
// position PostgreSQL keeps the higher).
func searchVector(title, body directory.Indexed) string {
	var b strings.Builder
	lexeme := func(s string, pos int, weight byte) {
		if b.Len() > 0 {
			b.WriteByte(' ')
		}
		// Tokens and terms are letters and digits: quoting is enough.
		b.WriteByte('\'')
		b.WriteString(s)
		b.WriteString("':")
		b.WriteString(strconv.Itoa(min(pos, maxPosition)))
		b.WriteByte(weight)
	}
	for i, t := range title.Tokens {
		lexeme(t, i+1, 'A')
	}
	for i, t := range body.Tokens {
		lexeme(t, len(title.Tokens)+2+i, 'B')
	}
	gap := len(title.Tokens) + 1
	seen := map[string]bool{}
	for _, t := range title.Terms {
		if !seen[t] {
			seen[t] = true
			lexeme(t, gap, 'C')
		}
	}
	for _, t := range body.Terms {
		if !seen[t] {
			seen[t] = true
			lexeme(t, gap, 'D')
		}
	}
	return b.String()
}

// JobWordsSQL reads a job's words from its tsvector (searchVector), where
// the weight says what each lexeme is: A a title token, B a token of the
// rest, C a title term, D a term of the rest.
func (dialect) JobWordsSQL() (columns, join string) { return `j.search::text`, `` }

func (dialect) ScanJobWords(w *sqlstore.JobWords) []any { return []any{vectorWords{w}} }

// vectorWords scans a tsvector's text form into JobWords.
type vectorWords struct{ w *sqlstore.JobWords }

func (v vectorWords) Scan(src any) error {
	var s string
	switch x := src.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	}
	parseVector(s, v.w)
	return nil
}

// parseVector reads a tsvector's text form into w, reusing its lists'
// arrays: quoted lexemes (two single quotes stand for one, a backslash
// escapes the next character), each with its positions, each position
// with its weight letter (none for D).
func parseVector(s string, w *sqlstore.JobWords) {
	lists := [4]*[]string{&w.TitleTokens, &w.BodyTokens, &w.TitleTerms, &w.BodyTerms}
	for _, l := range lists {
		*l = (*l)[:0]
	}
	for i := 0; i < len(s); {
		if s[i] != '\'' {
			i++
			continue
		}
		var word string
		word, i = readLexeme(s, i+1)
		var kinds [4]bool
		if i < len(s) && s[i] == ':' {
			for i++; i < len(s) && s[i] != ' '; i++ {
				switch c := s[i]; {
				case c >= 'A' && c <= 'C':
					kinds[c-'A'] = true
				case c >= '0' && c <= '9' && (i+1 == len(s) || s[i+1] == ',' || s[i+1] == ' '):
					kinds[3] = true // a position without a weight letter: D
				}
			}
		} else {
			kinds[3] = true // no positions: weight D
		}
		for k, in := range kinds {
			if in {
				*lists[k] = append(*lists[k], word)
			}
		}
	}
}

// readLexeme reads a quoted lexeme from s[i:], just past its opening
// quote, and returns it and the place after its closing quote. Most hold
// no escape and are returned as a slice of s.
func readLexeme(s string, i int) (string, int) {
	start := i
	for ; i < len(s); i++ {
		if s[i] == '\\' || (s[i] == '\'' && i+1 < len(s) && s[i+1] == '\'') {
			return readEscaped(s, start, i)
		}
		if s[i] == '\'' {
			return s[start:i], i + 1
		}
	}
	return s[start:], i
}

// readEscaped goes on reading a lexeme that started at start and holds an
// escape at i.
func readEscaped(s string, start, i int) (string, int) {
	var b strings.Builder
	b.WriteString(s[start:i])
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s):
			i++
			b.WriteByte(s[i])
		case c == '\'' && i+1 < len(s) && s[i+1] == '\'':
			i++
			b.WriteByte('\'')
		case c == '\'':
			return b.String(), i + 1
		default:
			b.WriteByte(c)
		}
	}
	return b.String(), i
}
