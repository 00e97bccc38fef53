package sqlstore

import (
	"context"
	"database/sql"
	"math"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/RoaringBitmap/roaring/v2"

	"github.com/colmena-coop/colmena/directory"
)

// JobIndex holds, in memory, what job searches filter, count and order
// by: a few columns of every job, values as small numbers, and the words
// the engine's full-text index holds, each with the set of jobs that
// have it (a roaring bitmap of slots). A search finds its words in those
// sets (or, for a phrase of several words, through the engine's
// full-text index), then filters, orders and counts every facet in one
// pass over the columns, and reads from the database only the page it
// shows.
//
// The index follows the store through data_version, which every write to
// jobs, co-ops, memberships and federations bumps: each search reads it,
// and when it moved the index reads again the jobs job_changes lists as
// changed since (and all co-ops, which are few). A node that did not make
// a write sees it at its next search.
type JobIndex struct {
	st *Store

	mu      sync.RWMutex
	loaded  bool
	version int64 // the data_version the index reflects
	dead    int

	slot map[int64]int32 // job id to its place in the columns
	ids  []int64         // 0 for a deleted job
	coop []int64
	// Values of these columns are numbers in a dictionary per column.
	country, remote, etype, currency, seniority, city []uint32
	skills, languages, eligible                       multi
	published, validThrough                           []int64 // unix microseconds; validThrough MaxInt64 for none
	payBase, payMonth                                 []int64 // -1 for none
	membership                                        []bool
	dicts                                             [nDicts]dict
	// words holds, per kind, the slots of the jobs with each word. A job
	// read again gets a new slot; its old one is dead (ids 0), so these
	// sets only grow until the index is read afresh.
	words [nWordKinds]map[string]*roaring.Bitmap

	coops coopTable
}

// Kinds of words, as JobWords has them.
const (
	wTitleToken = iota
	wBodyToken
	wTitleTerm
	wBodyTerm
	nWordKinds
)

// Columns with a dictionary.
const (
	dCountry = iota
	dRemote
	dType
	dCurrency
	dSeniority
	dCity
	dSkill
	dLanguage
	dEligible
	nDicts
)

type dict struct {
	vals []string
	ids  map[string]uint32
}

func (d *dict) id(v string) uint32 {
	if n, ok := d.ids[v]; ok {
		return n
	}
	if d.ids == nil {
		d.ids = map[string]uint32{}
	}
	n := uint32(len(d.vals))
	d.vals = append(d.vals, v)
	d.ids[v] = n
	return n
}

func (d *dict) list(vs []string) []uint32 {
	if len(vs) == 0 {
		return nil
	}
	out := make([]uint32, 0, len(vs))
	for _, v := range vs {
		n := d.id(v)
		dup := false
		for _, o := range out {
			dup = dup || o == n
		}
		if !dup {
			out = append(out, n)
		}
	}
	return out
}

// allowed marks the values of vs the dictionary knows; nil when vs is
// empty (no filter).
func (d *dict) allowed(vs []string) []bool {
	if len(vs) == 0 {
		return nil
	}
	out := make([]bool, len(d.vals))
	for _, v := range vs {
		if n, ok := d.ids[v]; ok {
			out[n] = true
		}
	}
	return out
}

// multi is a column of lists, kept in one array without pointers, so
// that the garbage collector need not visit each job's list.
type multi struct {
	start, end []uint32
	vals       []uint32
}

func (m *multi) grow() {
	m.start = append(m.start, 0)
	m.end = append(m.end, 0)
}

func (m *multi) get(s int32) []uint32 { return m.vals[m.start[s]:m.end[s]] }

// set replaces slot s's list, in place when it fits; a longer list goes
// at the end (the space left is reclaimed when the index is read afresh).
func (m *multi) set(s int32, vs []uint32) {
	if int(m.end[s]-m.start[s]) < len(vs) {
		m.start[s] = uint32(len(m.vals))
		m.vals = append(m.vals, vs...)
	} else {
		copy(m.vals[m.start[s]:], vs)
	}
	m.end[s] = m.start[s] + uint32(len(vs))
}

// coopTable is every co-op, read again whenever the data changed.
type coopTable struct {
	byID []int32 // co-op id to its place in list, -1 for none
	list []coopRow
	feds []fedRow
}

type coopRow struct {
	id                 int64
	apID, handle, host string
	local, suspended   bool
	feds               []int32 // places in feds
}

type fedRow struct{ apID, handle, name string }

func (t *coopTable) get(id int64) *coopRow {
	if id < 0 || id >= int64(len(t.byID)) || t.byID[id] < 0 {
		return nil
	}
	return &t.list[t.byID[id]]
}

// NewJobIndex makes an empty index of st's jobs, filled at its first use.
func NewJobIndex(st *Store) *JobIndex { return &JobIndex{st: st} }

// Indexable reports whether the index answers q: searches by hours of
// overlap, and text with no word a job must have, go to SQL.
func Indexable(q *directory.JobQuery) bool {
	if q.Zone != "" || q.Overlap > 0 {
		return false
	}
	return q.Text.Empty() || len(q.Text.Positive()) > 0
}

func (x *JobIndex) dataVersion(ctx context.Context) (int64, error) {
	var v int64
	if err := x.st.r.QueryRowContext(ctx, `SELECT n FROM data_version WHERE id = 1`).Scan(&v); err != nil {
		return 0, x.st.translate("reading the data version", err)
	}
	return v, nil
}

// refresh brings the index up to the store's data version, and returns
// with the index read-locked.
func (x *JobIndex) refresh(ctx context.Context) error {
	v, err := x.dataVersion(ctx)
	if err != nil {
		return err
	}
	x.mu.RLock()
	if x.loaded && x.version >= v {
		return nil
	}
	x.mu.RUnlock()
	if err := x.updateLocked(ctx, v); err != nil {
		return err
	}
	x.mu.RLock()
	return nil
}

// updateLocked runs update write-locked; the lock is given back even if
// update panics, so that one bad read cannot stop every search.
func (x *JobIndex) updateLocked(ctx context.Context, v int64) error {
	x.mu.Lock()
	defer x.mu.Unlock()
	return x.update(ctx, v)
}

// update reads what changed up to version v (at least), write-locked.
// Changes are numbered by the data version of the transaction that made
// them, which writers take in the order they commit: once v is read,
// every change numbered up to v is visible.
func (x *JobIndex) update(ctx context.Context, v int64) error {
	if x.loaded && x.version >= v {
		return nil
	}
	coops, err := x.readCoops(ctx)
	if err != nil {
		return err
	}
	if !x.loaded || x.dead > len(x.ids)/2+1000 {
		if err := x.reload(ctx); err != nil {
			return err
		}
	} else {
		rows, err := x.st.r.QueryContext(ctx, `SELECT job_id FROM job_changes WHERE seq > ?`, x.version)
		if err != nil {
			return x.st.translate("reading changed jobs", err)
		}
		var changed []int64
		for rows.Next() {
			var id int64
			if err := rows.Scan(&id); err != nil {
				rows.Close()
				return x.st.translate("reading changed jobs", err)
			}
			changed = append(changed, id)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return x.st.translate("reading changed jobs", err)
		}
		if len(changed) > len(x.ids)/4+1000 {
			err = x.reload(ctx)
		} else {
			err = x.reread(ctx, changed)
		}
		if err != nil {
			return err
		}
	}
	x.coops = coops
	x.version, x.loaded = v, true
	return nil
}

const indexColumns = `j.id, j.coop_id, j.country, j.remote, j.employment_type, j.salary_currency, j.seniority, j.city_key,
	j.skills, j.languages, j.eligible, j.published, j.valid_through, j.salary_month_base, j.salary_month, j.membership`

// selectJobs is the query that reads jobs into the index, words included.
func (x *JobIndex) selectJobs() string {
	cols, join := x.st.d.JobWordsSQL()
	return `SELECT ` + indexColumns + `, ` + cols + ` FROM jobs j ` + join
}

// reload reads every job afresh.
func (x *JobIndex) reload(ctx context.Context) error {
	x.loaded, x.dead, x.slot = false, 0, map[int64]int32{}
	x.ids, x.coop, x.published, x.validThrough, x.payBase, x.payMonth = nil, nil, nil, nil, nil, nil
	x.country, x.remote, x.etype, x.currency, x.seniority, x.city = nil, nil, nil, nil, nil, nil
	x.skills, x.languages, x.eligible, x.membership = multi{}, multi{}, multi{}, nil
	x.dicts = [nDicts]dict{}
	for k := range x.words {
		x.words[k] = map[string]*roaring.Bitmap{}
	}
	rows, err := x.st.r.QueryContext(ctx, x.selectJobs())
	if err != nil {
		return x.st.translate("indexing jobs", err)
	}
	return x.scanRows(rows, nil)
}

// reread reads the jobs of ids again; those gone are deleted.
func (x *JobIndex) reread(ctx context.Context, ids []int64) error {
	seen := map[int64]bool{}
	for len(ids) > 0 {
		n := min(len(ids), 500)
		batch := ids[:n]
		ids = ids[n:]
		args := make([]any, n)
		for i, id := range batch {
			args[i] = id
		}
		rows, err := x.st.r.QueryContext(ctx, x.selectJobs()+` WHERE j.id IN (`+In(n)+`)`, args...)
		if err != nil {
			return x.st.translate("indexing jobs", err)
		}
		if err := x.scanRows(rows, seen); err != nil {
			return err
		}
		for _, id := range batch {
			if !seen[id] {
				x.remove(id)
			}
		}
	}
	return nil
}

func (x *JobIndex) remove(id int64) {
	if s, ok := x.slot[id]; ok {
		x.ids[s] = 0
		x.skills.set(s, nil)
		x.languages.set(s, nil)
		x.eligible.set(s, nil)
		delete(x.slot, id)
		x.dead++
	}
}

func (x *JobIndex) scanRows(rows interface {
	Next() bool
	Scan(...any) error
	Err() error
	Close() error
}, seen map[int64]bool) error {
	defer rows.Close()
	d := x.st.d
	var words JobWords // its lists' arrays serve every row
	for rows.Next() {
		var id, coop int64
		var country, remote, etype, currency, seniority, city string
		var skills, languages, eligible []string
		var published, valid time.Time
		var base, month sql.NullInt64
		var member sql.NullBool
		dst := append([]any{&id, &coop, &country, &remote, &etype, &currency, &seniority, &city,
			d.ScanList(&skills), d.ScanList(&languages), d.ScanList(&eligible),
			d.ScanTime(&published), d.ScanTime(&valid), &base, &month, &member}, d.ScanJobWords(&words)...)
		if err := rows.Scan(dst...); err != nil {
			return x.st.translate("indexing jobs", err)
		}
		if seen != nil {
			seen[id] = true
		}
		// A job read again takes a new slot, so that the sets of words
		// need no removal: the old slot is dead.
		x.remove(id)
		s := int32(len(x.ids))
		x.slot[id] = s
		x.ids = append(x.ids, id)
		x.coop = append(x.coop, 0)
		x.country = append(x.country, 0)
		x.remote = append(x.remote, 0)
		x.etype = append(x.etype, 0)
		x.currency = append(x.currency, 0)
		x.seniority = append(x.seniority, 0)
		x.city = append(x.city, 0)
		x.skills.grow()
		x.languages.grow()
		x.eligible.grow()
		x.published = append(x.published, 0)
		x.validThrough = append(x.validThrough, 0)
		x.payBase = append(x.payBase, 0)
		x.payMonth = append(x.payMonth, 0)
		x.membership = append(x.membership, false)
		x.coop[s] = coop
		x.country[s] = x.dicts[dCountry].id(country)
		x.remote[s] = x.dicts[dRemote].id(remote)
		x.etype[s] = x.dicts[dType].id(etype)
		x.currency[s] = x.dicts[dCurrency].id(currency)
		x.seniority[s] = x.dicts[dSeniority].id(seniority)
		x.city[s] = x.dicts[dCity].id(city)
		x.skills.set(s, x.dicts[dSkill].list(skills))
		x.languages.set(s, x.dicts[dLanguage].list(languages))
		x.eligible.set(s, x.dicts[dEligible].list(eligible))
		x.published[s] = published.UnixMicro()
		x.validThrough[s] = math.MaxInt64
		if !valid.IsZero() {
			x.validThrough[s] = valid.UnixMicro()
		}
		x.payBase[s], x.payMonth[s] = -1, -1
		if base.Valid {
			x.payBase[s] = base.Int64
		}
		if month.Valid {
			x.payMonth[s] = month.Int64
		}
		x.membership[s] = member.Valid && member.Bool
		for k, ws := range [nWordKinds][]string{words.TitleTokens, words.BodyTokens, words.TitleTerms, words.BodyTerms} {
			for _, w := range ws {
				b := x.words[k][w]
				if b == nil {
					b = roaring.New()
					// A word may be a slice of a longer text, which it
					// would keep alive as a key.
					x.words[k][strings.Clone(w)] = b
				}
				b.Add(uint32(s))
			}
		}
	}
	return x.st.translate("indexing jobs", rows.Err())
}

func (x *JobIndex) readCoops(ctx context.Context) (coopTable, error) {
	var t coopTable
	rows, err := x.st.r.QueryContext(ctx, `SELECT id, ap_id, handle, host, local, suspended FROM coops ORDER BY id`)
	if err != nil {
		return t, x.st.translate("indexing co-ops", err)
	}
	var maxID int64
	for rows.Next() {
		var c coopRow
		if err := rows.Scan(&c.id, &c.apID, &c.handle, &c.host, &c.local, &c.suspended); err != nil {
			rows.Close()
			return t, x.st.translate("indexing co-ops", err)
		}
		t.list = append(t.list, c)
		maxID = max(maxID, c.id)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return t, x.st.translate("indexing co-ops", err)
	}
	t.byID = make([]int32, maxID+1)
	for i := range t.byID {
		t.byID[i] = -1
	}
	for i, c := range t.list {
		t.byID[c.id] = int32(i)
	}
	rows, err = x.st.r.QueryContext(ctx, `SELECT m.coop_id, f.id, f.ap_id, f.handle, f.name FROM memberships m
		JOIN federations f ON f.id = m.federation_id ORDER BY f.id`)
	if err != nil {
		return t, x.st.translate("indexing memberships", err)
	}
	defer rows.Close()
	fedPlace := map[int64]int32{}
	for rows.Next() {
		var coop, fid int64
		var f fedRow
		if err := rows.Scan(&coop, &fid, &f.apID, &f.handle, &f.name); err != nil {
			return t, x.st.translate("indexing memberships", err)
		}
		p, ok := fedPlace[fid]
		if !ok {
			p = int32(len(t.feds))
			fedPlace[fid] = p
			t.feds = append(t.feds, f)
		}
		if c := t.get(coop); c != nil {
			c.feds = append(c.feds, p)
		}
	}
	return t, x.st.translate("indexing memberships", rows.Err())
}

// TextMatches finds the jobs a search's text matches, through the
// engine's full-text index, and, for a search by relevance, those of them
// whose title matches every required term (the first tier). within, when
// not nil, lists the only jobs that can be results: an engine may test
// just those.
type TextMatches func(ctx context.Context, q *directory.JobQuery, within []int64) (ids, title []int64, err error)

// candidates lists, read-locked, the jobs that pass a search's other
// conditions when they are few and the search counts no facets (which
// count jobs that fail one filter too); otherwise nil.
func (x *JobIndex) candidates(q *directory.JobQuery) []int64 {
	if q.Facets {
		return nil
	}
	other := *q
	other.Text, other.After, other.Sort = directory.Query{}, nil, directory.SortNewest
	return x.match(&other, nil, len(x.slot)/8).ids
}

// readLocked runs fn on the index that refresh left read-locked, and
// unlocks it, also when fn panics.
func (x *JobIndex) readLocked(fn func() []int64) []int64 {
	defer x.mu.RUnlock()
	return fn()
}

// Search answers q from the index, with text from the engine; q must be
// Indexable.
func (x *JobIndex) Search(ctx context.Context, q directory.JobQuery, text TextMatches) (*directory.JobResults, FacetCounter, error) {
	if q.Limit < 1 {
		q.Limit = directory.DefaultLimit
	}
	var textIDs, titleIDs []int64
	inMemory := wordsInMemory(q.Text)
	if !q.Text.Empty() && !inMemory {
		if err := x.refresh(ctx); err != nil {
			return nil, nil, err
		}
		within := x.readLocked(func() []int64 { return x.candidates(&q) })
		var err error
		if textIDs, titleIDs, err = text(ctx, &q, within); err != nil {
			return nil, nil, err
		}
	}
	if err := x.refresh(ctx); err != nil {
		return nil, nil, err
	}
	var m *matches
	x.readLocked(func() []int64 {
		var t *textSets
		switch {
		case inMemory:
			t = x.wordSets(&q)
		case !q.Text.Empty():
			t = &textSets{text: x.set(textIDs)}
			if q.Relevance() {
				t.title = x.set(titleIDs)
			}
		}
		m = x.match(&q, t, 0)
		return nil
	})
	res := &directory.JobResults{Total: m.total}
	if err := x.page(ctx, &q, m.page, res); err != nil {
		return nil, nil, err
	}
	return res, func(context.Context) (*directory.Facets, error) { return m.facets, nil }, nil
}

// A facet filter of a search, by its place in facetOrder.
const (
	fCountry = iota
	fRemote
	fSkill
	fLanguage
	fFederation
	fType
	fCurrency
	fSeniority
	nFilters
)

type pageKey struct {
	first, published, id int64
}

func (a pageKey) less(b pageKey) bool {
	if a.first != b.first {
		return a.first < b.first
	}
	if a.published != b.published {
		return a.published < b.published
	}
	return a.id < b.id
}

type matches struct {
	total  int
	page   []pageKey // the first limit+1 of the order, best first
	ids    []int64   // every match, when asked for and not too many
	facets *directory.Facets
}

// bits is a set of slots.
type bits []uint64

func (b bits) has(i int32) bool { return b[i>>6]&(1<<(uint(i)&63)) != 0 }

// textSets are the jobs a search's text matches and, for a search by
// relevance, those whose title matches every required clause.
type textSets struct{ text, title bits }

// wordsInMemory reports whether the index's sets of words answer q alone:
// when every phrase is a single token. A phrase of several tokens needs
// their positions, which only the engine keeps.
func wordsInMemory(q directory.Query) bool {
	if q.Empty() {
		return false
	}
	for _, c := range q.Clauses {
		for _, p := range c.Any {
			if len(p) != 1 {
				return false
			}
		}
	}
	return true
}

// wordSets finds q's text in the sets of words, read-locked: as the
// engines do, a clause holds when any of its phrases is among the job's
// tokens or any of its terms among its terms, the text when every
// required clause holds and no negated one; the title tier asks the
// required clauses of the title's tokens and terms alone.
func (x *JobIndex) wordSets(q *directory.JobQuery) *textSets {
	clause := func(c directory.Clause, titleOnly bool) *roaring.Bitmap {
		var sets []*roaring.Bitmap
		add := func(kind int, w string) {
			if b := x.words[kind][w]; b != nil {
				sets = append(sets, b)
			}
		}
		for _, p := range c.Any {
			add(wTitleToken, p[0])
			if !titleOnly {
				add(wBodyToken, p[0])
			}
		}
		for _, t := range c.Terms {
			add(wTitleTerm, t)
			if !titleOnly {
				add(wBodyTerm, t)
			}
		}
		return roaring.FastOr(sets...)
	}
	every := func(titleOnly bool) *roaring.Bitmap {
		var all *roaring.Bitmap
		for _, c := range q.Text.Positive() {
			b := clause(c, titleOnly)
			if all == nil {
				all = b
			} else {
				all.And(b)
			}
		}
		if all == nil {
			all = roaring.New()
		}
		return all
	}
	dense := func(b *roaring.Bitmap) bits {
		out := make(bits, (len(x.ids)+63)/64)
		b.WriteDenseTo(out)
		return out
	}
	text := every(false)
	for _, c := range q.Text.Negative() {
		text.AndNot(clause(c, false))
	}
	t := &textSets{text: dense(text)}
	if q.Relevance() {
		t.title = dense(every(true))
	}
	return t
}

func (x *JobIndex) set(ids []int64) bits {
	b := make(bits, (len(x.ids)+63)/64)
	for _, id := range ids {
		if s, ok := x.slot[id]; ok {
			b[s>>6] |= 1 << (uint(s) & 63)
		}
	}
	return b
}

// match filters every job, read-locked, counting facets in the same pass:
// a job that fails only one facet's filter counts in that facet alone,
// since each facet is counted with every filter but its own.
// With collect above 0 it lists the matches instead, up to collect of
// them, and stops with none when there are more.
func (x *JobIndex) match(q *directory.JobQuery, t *textSets, collect int) *matches {
	now := q.Now.UnixMicro()
	var text, title bits
	if t != nil {
		text, title = t.text, t.title
	}
	// Co-ops: which are out (suspended, or not among q.Coops) and which
	// pass the federation filter.
	ct := &x.coops
	coopOut := make([]bool, len(ct.list))
	coopFed := make([]bool, len(ct.list))
	fedWanted := make([]bool, len(ct.feds))
	for i, f := range ct.feds {
		fedWanted[i] = contains(q.Federations, f.apID) || contains(q.Federations, f.handle)
	}
	for i, c := range ct.list {
		coopOut[i] = c.suspended
		if len(q.Coops) > 0 && !(contains(q.Coops, c.apID) || contains(q.Coops, c.handle+"@"+c.host) || (c.local && contains(q.Coops, c.handle))) {
			coopOut[i] = true
		}
		for _, f := range c.feds {
			coopFed[i] = coopFed[i] || fedWanted[f]
		}
	}
	allow := [nFilters][]bool{
		fCountry: x.dicts[dCountry].allowed(q.Countries), fRemote: x.dicts[dRemote].allowed(q.Remote),
		fSkill: x.dicts[dSkill].allowed(q.Skills), fLanguage: x.dicts[dLanguage].allowed(q.Languages),
		fType: x.dicts[dType].allowed(q.EmploymentTypes), fCurrency: x.dicts[dCurrency].allowed(q.Currencies),
		fSeniority: x.dicts[dSeniority].allowed(q.Seniority),
	}
	var active []int
	for f := range nFilters {
		if allow[f] != nil || (f == fFederation && len(q.Federations) > 0) {
			active = append(active, f)
		}
	}
	// The seeker's place.
	codes := q.SeekerCodes()
	var seekerCodes []bool
	var liveIn, cityKey uint32
	liveKnown, cityKnown := false, false
	remoteID, remoteKnown := x.dicts[dRemote].ids["remote"]
	if codes != nil {
		seekerCodes = x.dicts[dEligible].allowed(codes)
		liveIn, liveKnown = x.dicts[dCountry].ids[q.LiveIn]
		cityKey, cityKnown = x.dicts[dCity].ids[directory.CityKey(q.City)]
	}
	var since int64 = math.MinInt64
	if !q.PostedSince.IsZero() {
		since = q.PostedSince.UnixMicro()
	}
	var payCurrency uint32
	payCurrencyKnown := false
	if q.Pay != nil && !q.Pay.HasBase {
		payCurrency, payCurrencyKnown = x.dicts[dCurrency].ids[q.Pay.Currency]
	}

	var counts [nDicts][]int
	var fedCounts []int
	if q.Facets {
		for _, d := range []int{dCountry, dRemote, dType, dCurrency, dSeniority, dSkill, dLanguage, dEligible} {
			counts[d] = make([]int, len(x.dicts[d].vals))
		}
		fedCounts = make([]int, len(ct.list))
	}
	bySalary := q.Sort == directory.SortSalary
	limit := q.Limit + 1
	var after *pageKey
	if a := q.After; a != nil {
		k := pageKey{first: int64(a.Tier), published: a.Time, id: a.ID}
		if bySalary {
			k.first = a.Pay
		}
		after = &k
	}
	m := &matches{}
	anyOf := func(vs []uint32, ok []bool) bool {
		for _, v := range vs {
			if int(v) < len(ok) && ok[v] {
				return true
			}
		}
		return false
	}
	// Newest first: slots are mostly in the order jobs came, so most jobs
	// fall behind the page at once.
	for s := int32(len(x.ids)) - 1; s >= 0; s-- {
		id := x.ids[s]
		if id == 0 || x.validThrough[s] <= now || x.published[s] < since {
			continue
		}
		if text != nil && !text.has(s) {
			continue
		}
		c := ct.byID[x.coop[s]]
		if c < 0 || coopOut[c] {
			continue
		}
		if q.LeadsToMembership && !x.membership[s] {
			continue
		}
		if p := q.Pay; p != nil {
			if p.HasBase {
				if x.payBase[s] < 0 || x.payBase[s] < p.BaseCents {
					continue
				}
			} else if !payCurrencyKnown || x.currency[s] != payCurrency || x.payMonth[s] < 0 || x.payMonth[s] < p.Cents {
				continue
			}
		}
		if codes != nil {
			isRemote := remoteKnown && x.remote[s] == remoteID
			if isRemote {
				if !anyOf(x.eligible.get(s), seekerCodes) {
					continue
				}
			} else if !liveKnown || x.country[s] != liveIn || (q.City != "" && (!cityKnown || x.city[s] != cityKey)) {
				continue
			}
		}
		failed, nfail := -1, 0
		for _, f := range active {
			var ok bool
			switch f {
			case fCountry:
				ok = allow[f][x.country[s]]
			case fRemote:
				ok = allow[f][x.remote[s]]
			case fType:
				ok = allow[f][x.etype[s]]
			case fCurrency:
				ok = allow[f][x.currency[s]]
			case fSeniority:
				ok = allow[f][x.seniority[s]]
			case fSkill:
				ok = anyOf(x.skills.get(s), allow[f])
			case fLanguage:
				ok = anyOf(x.languages.get(s), allow[f])
			case fFederation:
				ok = coopFed[c]
			}
			if !ok {
				failed = f
				if nfail++; nfail > 1 {
					break
				}
			}
		}
		if nfail > 1 {
			continue
		}
		if q.Facets {
			all := nfail == 0
			if all || failed == fCountry {
				counts[dCountry][x.country[s]]++
			}
			if all || failed == fRemote {
				counts[dRemote][x.remote[s]]++
			}
			if all || failed == fType {
				counts[dType][x.etype[s]]++
			}
			if all || failed == fCurrency {
				counts[dCurrency][x.currency[s]]++
			}
			if all || failed == fSeniority {
				counts[dSeniority][x.seniority[s]]++
			}
			if all || failed == fSkill {
				for _, v := range x.skills.get(s) {
					counts[dSkill][v]++
				}
			}
			if all || failed == fLanguage {
				for _, v := range x.languages.get(s) {
					counts[dLanguage][v]++
				}
			}
			if all || failed == fFederation {
				fedCounts[c]++
			}
			if all {
				for _, v := range x.eligible.get(s) {
					counts[dEligible][v]++
				}
			}
		}
		if nfail > 0 {
			continue
		}
		m.total++
		if collect > 0 {
			if len(m.ids) == collect {
				return &matches{}
			}
			m.ids = append(m.ids, id)
			continue
		}
		k := pageKey{published: x.published[s], id: id}
		switch {
		case bySalary:
			k.first = x.payBase[s]
		case title != nil && title.has(s):
			k.first = 1
		}
		if after != nil && !k.less(*after) {
			continue
		}
		m.page = topInsert(m.page, k, limit)
	}
	if q.Facets {
		f := &directory.Facets{}
		f.Country = x.facet(dCountry, counts[dCountry], true)
		f.Remote = x.facet(dRemote, counts[dRemote], false)
		f.Skill = x.facet(dSkill, counts[dSkill], false)
		f.Language = x.facet(dLanguage, counts[dLanguage], false)
		f.Type = x.facet(dType, counts[dType], false)
		f.Currency = x.facet(dCurrency, counts[dCurrency], true)
		f.Eligible = x.facet(dEligible, counts[dEligible], false)
		f.Seniority = x.facet(dSeniority, counts[dSeniority], true)
		byFed := make([]int, len(ct.feds))
		for i, c := range ct.list {
			for _, fd := range c.feds {
				byFed[fd] += fedCounts[i]
			}
		}
		f.Federation = []directory.FacetValue{}
		byAP := map[string]int{}
		for i, n := range byFed {
			if n == 0 {
				continue
			}
			fd := ct.feds[i]
			if p, ok := byAP[fd.apID]; ok {
				f.Federation[p].Count += n
				f.Federation[p].Label = min(f.Federation[p].Label, fd.name)
				continue
			}
			byAP[fd.apID] = len(f.Federation)
			f.Federation = append(f.Federation, directory.FacetValue{Value: fd.apID, Label: fd.name, Count: n})
		}
		f.Federation = directory.TopFacetValues(f.Federation)
		m.facets = f
	}
	return m
}

// topInsert keeps the limit best keys of keys and k, best first.
func topInsert(keys []pageKey, k pageKey, limit int) []pageKey {
	if len(keys) == limit && !keys[limit-1].less(k) {
		return keys
	}
	i := sort.Search(len(keys), func(i int) bool { return keys[i].less(k) })
	if len(keys) < limit {
		keys = append(keys, pageKey{})
	}
	copy(keys[i+1:], keys[i:])
	keys[i] = k
	return keys
}

func (x *JobIndex) facet(d int, counts []int, skipEmpty bool) []directory.FacetValue {
	out := []directory.FacetValue{}
	for v, n := range counts {
		if n == 0 || (skipEmpty && x.dicts[d].vals[v] == "") {
			continue
		}
		s := x.dicts[d].vals[v]
		out = append(out, directory.FacetValue{Value: s, Label: s, Count: n})
	}
	return directory.TopFacetValues(out)
}

func contains(vs []string, v string) bool {
	for _, s := range vs {
		if s == v {
			return true
		}
	}
	return false
}

// page reads the jobs of keys, in their order, into res, with the cursor
// of the next page when there is one more than the limit.
func (x *JobIndex) page(ctx context.Context, q *directory.JobQuery, keys []pageKey, res *directory.JobResults) error {
	res.Items = []directory.Job{}
	if len(keys) > q.Limit {
		last := keys[q.Limit-1]
		res.Next = &directory.Cursor{Time: last.published, ID: last.id}
		if q.Sort == directory.SortSalary {
			res.Next.Pay = last.first
		} else {
			res.Next.Tier = int(last.first)
		}
		keys = keys[:q.Limit]
	}
	if len(keys) == 0 {
		return nil
	}
	args := make([]any, len(keys))
	for i, k := range keys {
		args[i] = k.id
	}
	rows, err := x.st.r.QueryContext(ctx, `SELECT `+JobColumns+` FROM jobs j JOIN coops c ON c.id = j.coop_id WHERE j.id IN (`+In(len(keys))+`)`, args...)
	if err != nil {
		return x.st.translate("searching jobs", err)
	}
	defer rows.Close()
	byID := map[int64]*directory.Job{}
	for rows.Next() {
		j, err := x.st.ScanJob(rows)
		if err != nil {
			return x.st.translate("searching jobs", err)
		}
		byID[j.ID] = j
	}
	if err := rows.Err(); err != nil {
		return x.st.translate("searching jobs", err)
	}
	rows.Close()
	for _, k := range keys {
		// A job deleted since the index was read is left out.
		if j := byID[k.id]; j != nil {
			res.Items = append(res.Items, *j)
		}
	}
	return x.st.AddFederations(ctx, res.Items)
}
