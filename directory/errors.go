package directory

import (
	"errors"
	"fmt"
	"slices"
)

// Kind classifies an error so that adapters can translate it: the web layer
// maps a Kind to an HTTP status, stores map driver errors to a Kind.
type Kind int

// The error kinds. The zero value is KindInternal so that an unclassified
// error is never mistaken for a user's mistake.
const (
	KindInternal Kind = iota
	KindInvalid
	KindNotFound
	KindConflict
	KindForbidden
	KindUnauthorized
)

func (k Kind) String() string {
	switch k {
	case KindInvalid:
		return "invalid"
	case KindNotFound:
		return "not found"
	case KindConflict:
		return "conflict"
	case KindForbidden:
		return "forbidden"
	case KindUnauthorized:
		return "unauthorized"
	default:
		return "internal"
	}
}

// Error is the domain's error. Message is safe to show to the person who
// made the request; Err, when set, is the underlying cause for logs.
// A validation error also carries a Code and the Args of its message, so
// that an adapter can say the same thing in the reader's language.
type Error struct {
	Kind    Kind
	Field   string // the input field at fault, for KindInvalid
	Message string
	Code    Code
	Args    []any
	Err     error
}

func (e *Error) Error() string {
	msg := e.Message
	if e.Field != "" {
		msg = e.Field + ": " + msg
	}
	if e.Err != nil {
		return msg + ": " + e.Err.Error()
	}
	return msg
}

func (e *Error) Unwrap() error { return e.Err }

// Code names a validation message. Its English wording, the one the API
// answers with, is in the catalog below; the arguments fill it in order.
type Code string

// The validation messages.
const (
	CodeRequired            Code = "required"
	CodeHandle              Code = "handle"
	CodeUTF8                Code = "utf8"
	CodeTooLong             Code = "too_long"
	CodeNul                 Code = "nul"
	CodeBidi                Code = "bidi"
	CodeLonger              Code = "longer"
	CodeTooMany             Code = "too_many"
	CodeCountry             Code = "country"
	CodeLanguage            Code = "language"
	CodeCurrency            Code = "currency"
	CodeTagEmpty            Code = "tag_empty"
	CodeTagLong             Code = "tag_long"
	CodeTagChars            Code = "tag_chars"
	CodeURL                 Code = "url"
	CodeEmail               Code = "email"
	CodeYear                Code = "year"
	CodeWorkers             Code = "workers"
	CodeRemote              Code = "remote"
	CodeRemoteValue         Code = "remote_value"
	CodeCountryNeeded       Code = "country_needed"
	CodeEmploymentType      Code = "employment_type"
	CodeEmploymentTypeValue Code = "employment_type_value"
	CodePeriod              Code = "period"
	CodePeriodValue         Code = "period_value"
	CodeAmount              Code = "amount"
	CodeSalaryMax           Code = "salary_max"
	CodeSalaryLarge         Code = "salary_large"
	CodeApply               Code = "apply"
	CodeFuture              Code = "future"
	CodeFutureOrDelete      Code = "future_or_delete"
	CodeDomainRequired      Code = "domain_required"
	CodeDomain              Code = "domain"
	CodeTaken               Code = "taken"
	CodeFederationHandle    Code = "federation_handle"
	CodeCoopHandle          Code = "coop_handle"
	CodeHandleRetired       Code = "handle_retired"
	CodeAccountExists       Code = "account_exists"
	CodePasswordShort       Code = "password_short"
	CodePasswordLong        Code = "password_long"
	CodePasswordWrong       Code = "password_wrong"
	CodeDraftLong           Code = "draft_long"
	CodePublicURL           Code = "public_url"
	CodeLogoMissing         Code = "logo_missing"
	CodeLogoBytes           Code = "logo_bytes"
	CodeLogoType            Code = "logo_type"
	CodeLogoUnreadable      Code = "logo_unreadable"
	CodeLogoPixels          Code = "logo_pixels"
	CodeCursor              Code = "cursor"
	CodeSort                Code = "sort"
	CodePostedWithin        Code = "posted_within"
	CodeLimit               Code = "limit"
	CodeTime                Code = "time"
	CodeHandleFixed         Code = "handle_fixed"
	CodeTargetRequired      Code = "target_required"
	CodePathSegment         Code = "path_segment"
	CodeOwnDomain           Code = "own_domain"
	CodeImportFailed        Code = "import_failed"
	CodeSelfFollow          Code = "self_follow"
	CodeBlocked             Code = "blocked"
	CodeFetchFailed         Code = "fetch_failed"
	CodeAlreadyFollows      Code = "already_follows"
	CodeOnThisNode          Code = "on_this_node"
	CodeNotColmena          Code = "not_colmena"
	CodeBadURL              Code = "bad_url"
	CodeNoActor             Code = "no_actor"
	CodeNoFollowPage        Code = "no_follow_page"
	CodeNoRemoteFollow      Code = "no_remote_follow"
	CodeAcctForm            Code = "acct_form"
	CodeWebfingerJSON       Code = "webfinger_json"
	CodeLookupFailed        Code = "lookup_failed"
	CodeDeliveryState       Code = "delivery_state"
	CodeSuspendedCoop       Code = "suspended_coop"
	CodeRate                Code = "rate"
	CodeRateTwice           Code = "rate_twice"
	CodeRateBase            Code = "rate_base"
	CodeRatesFuture         Code = "rates_future"
	CodeRatesStale          Code = "rates_stale"
	CodeRatesDate           Code = "rates_date"
	CodeRateLine            Code = "rate_line"
	CodeEligible            Code = "eligible"
	CodeAnywhereAlone       Code = "anywhere_alone"
	CodeEligibleRemote      Code = "eligible_remote"
	CodeZone                Code = "zone"
	CodeClock               Code = "clock"
	CodeWindow              Code = "window"
	CodeHoursPerWeek        Code = "hours_per_week"
	CodeSeniority           Code = "seniority"
	CodeDecisions           Code = "decisions"
	CodePayKind             Code = "pay_kind"
	CodePayKindValue        Code = "pay_kind_value"
	CodePayRatio            Code = "pay_ratio"
	CodePayEqualRatio       Code = "pay_equal_ratio"
	CodeTrialMonths         Code = "trial_months"
	CodeNotMembership       Code = "not_membership"
	CodeCapital             Code = "capital"
	CodeOverlap             Code = "overlap"
	CodeOverlapZone         Code = "overlap_zone"
	CodeCityLiveIn          Code = "city_live_in"
	CodeTrue                Code = "true"
	CodeWorkingDay          Code = "working_day"
	CodeAccountDisabled     Code = "account_disabled"
	CodeNoAccount           Code = "no_account"
	CodeNoLocalCoop         Code = "no_local_coop"
	CodeLastAdmin           Code = "last_admin"
	CodeSelfAccount         Code = "self_account"
	CodeNotPending          Code = "not_pending"
	CodeLastMember          Code = "last_member"
	CodeRole                Code = "role"
	CodeNoCoop              Code = "no_coop"
	CodeNoUser              Code = "no_user"
)

// english words each code for the API; its verbs take the error's Args.
var english = map[Code]string{
	CodeRequired:            "is required",
	CodeHandle:              "must be 1 to 30 characters of a-z, 0-9 and _",
	CodeUTF8:                "is not valid UTF-8",
	CodeTooLong:             "is %d characters long; at most %d are allowed",
	CodeNul:                 "contains a NUL character",
	CodeBidi:                "contains an invisible control (%s) that reorders the text as it is shown; remove it",
	CodeLonger:              "is longer than %d characters",
	CodeTooMany:             "has %d entries; at most %d are allowed",
	CodeCountry:             "%q is not an ISO 3166-1 alpha-2 country code such as AR or GB",
	CodeLanguage:            "%q is not a BCP 47 language tag such as es or en-GB",
	CodeCurrency:            "%q is not an ISO 4217 currency code such as ARS, USD or GBP",
	CodeTagEmpty:            "contains an empty tag",
	CodeTagLong:             "tag %q is longer than %d characters",
	CodeTagChars:            "tag %q may hold only letters, digits and + # . - _ (starting with a letter or digit)",
	CodeURL:                 "%q is not an http or https URL",
	CodeEmail:               "%q is not an e-mail address",
	CodeYear:                "must be a year between 1800 and %d",
	CodeWorkers:             "must be a number of worker-members between 1 and %d",
	CodeRemote:              "is required: remote, hybrid or onsite",
	CodeRemoteValue:         "%q must be remote, hybrid or onsite",
	CodeCountryNeeded:       "is required for hybrid and onsite jobs",
	CodeEmploymentType:      "is required: full_time, part_time, contract or internship",
	CodeEmploymentTypeValue: "%q must be full_time, part_time, contract or internship",
	CodePeriod:              "is required: hour, month or year",
	CodePeriodValue:         "%q must be hour, month or year",
	CodeAmount:              "must be a positive amount",
	CodeSalaryMax:           "must not be less than salary.min",
	CodeSalaryLarge:         "is too large: the most is 1,000,000,000 a month in its currency",
	CodeApply:               "apply_url or apply_email is required so that people can apply",
	CodeFuture:              "must be in the future",
	CodeFutureOrDelete:      "must be in the future; delete the job to close it",
	CodeDomainRequired:      "is required, such as spam.example",
	CodeDomain:              "%q is not a domain name such as spam.example",
	CodeTaken:               "%q is already taken",
	CodeFederationHandle:    "%q is the federation's own handle",
	CodeCoopHandle:          "%q is already the handle of the co-op %q",
	CodeHandleRetired:       "%q was used by a deleted co-op and cannot be used again",
	CodeAccountExists:       "%s already has an account",
	CodePasswordShort:       "must be at least %d characters",
	CodePasswordLong:        "must be at most %d bytes",
	CodePasswordWrong:       "is not your current password",
	CodeDraftLong:           "is too long for a draft",
	CodePublicURL:           "%q must be a scheme and host such as https://node.example",
	CodeLogoMissing:         "choose an image file",
	CodeLogoBytes:           "is %d KiB; the most is %d KiB",
	CodeLogoType:            "must be a PNG, JPEG or GIF image",
	CodeLogoUnreadable:      "is not a readable image",
	CodeLogoPixels:          "is %d×%d pixels; the most is %d a side",
	CodeCursor:              "is not a cursor this server gave out",
	CodeSort:                "%q must be newest, relevance or salary",
	CodePostedWithin:        "%q must be a number of days such as 7d, or hours such as 12h",
	CodeLimit:               "must be a whole number from 1 to %d",
	CodeTime:                "%q is not an RFC 3339 time such as 2026-12-31T23:59:59Z",
	CodeHandleFixed:         "cannot be changed: it is part of the co-op's fediverse address",
	CodeTargetRequired:      "is required: handle@host or an actor URL",
	CodePathSegment:         "is not a valid URL path segment",
	CodeOwnDomain:           "%s is this node's own domain",
	CodeImportFailed:        "could not import %s: %v",
	CodeSelfFollow:          "a co-op cannot follow itself",
	CodeBlocked:             "%s is blocked here",
	CodeFetchFailed:         "could not fetch %s: %v",
	CodeAlreadyFollows:      "%s already follows %s",
	CodeOnThisNode:          "%s is on this node",
	CodeNotColmena:          "%s is a %s, not a Colmena federation or co-op: the node follows only those, or a server's instance actor",
	CodeBadURL:              "%v",
	CodeNoActor:             "%s has no ActivityPub actor",
	CodeNoFollowPage:        "%s offers no usable follow page",
	CodeNoRemoteFollow:      "the server of %s does not offer remote follows",
	CodeAcctForm:            "%q must be handle@host",
	CodeWebfingerJSON:       "%s answered WebFinger with something that is not JSON",
	CodeLookupFailed:        "could not look up %s: %v",
	CodeDeliveryState:       "%q must be pending or failed",
	CodeSuspendedCoop:       "the co-op %s is suspended",
	CodeRate:                "must be a positive number: how many units of this currency one unit of the base buys",
	CodeRateTwice:           "is given twice",
	CodeRateBase:            "is the base currency: its rate must be 1",
	CodeRatesFuture:         "%s is in the future",
	CodeRatesStale:          "rates of %s are older than %d days",
	CodeRatesDate:           "%q is not a date such as 2026-11-28",
	CodeRateLine:            "%q is not a line such as ARS 1050.5",
	CodeEligible:            "%q is not a country (ISO 3166-1 alpha-2, with AFG, ASM, NAM and SAU for Afghanistan, American Samoa, Namibia and Saudi Arabia), a region (EU, EEA, LATAM, AF, AS, EUROPE, NA, OC, SA) or anywhere",
	CodeAnywhereAlone:       "anywhere cannot be combined with countries or regions",
	CodeEligibleRemote:      "applies to remote jobs only; hybrid and onsite jobs are placed by country and city",
	CodeZone:                "%q is not an IANA time zone such as America/Argentina/Buenos_Aires or Europe/London",
	CodeClock:               "%q is not a time of day from 00:00 to 24:00, such as 09:30",
	CodeWindow:              "must be after hours.start, at most 24:00: a window of hours cannot cross midnight",
	CodeHoursPerWeek:        "must be a whole number of hours from 1 to %d",
	CodeSeniority:           "%q must be trainee, junior, mid, senior or lead",
	CodeDecisions:           "%q must be assembly, sociocracy, elected_board or other",
	CodePayKind:             "is required: equal or ratio",
	CodePayKindValue:        "%q must be equal or ratio",
	CodePayRatio:            "must be the highest pay divided by the lowest: more than 1 and at most %d, such as 3 or 1.5",
	CodePayEqualRatio:       "must be left out when pay is equal",
	CodeTrialMonths:         "must be a whole number of months from 0 to %d",
	CodeNotMembership:       "applies only when leads_to_membership is true",
	CodeCapital:             "must be zero (no contribution) or a positive amount",
	CodeOverlap:             "%q must be a whole number of hours from 1 to 24",
	CodeOverlapZone:         "needs tz, the seeker's time zone",
	CodeCityLiveIn:          "needs live_in, the country the city is in",
	CodeTrue:                "%q must be true",
	CodeWorkingDay:          "must be after day_start",
	CodeAccountDisabled:     "the account %s is disabled; ask the node's admin",
	CodeNoAccount:           "no account has the e-mail %s",
	CodeNoLocalCoop:         "no co-op on this node has the handle %q",
	CodeLastAdmin:           "%s is the last active admin: make another admin first",
	CodeSelfAccount:         "you cannot disable or delete your own account",
	CodeNotPending:          "%s has already accepted the invitation",
	CodeLastMember:          "you are the last member of %s: invite a colleague first, or ask the node's admin",
	CodeRole:                "%q must be admin or member",
	CodeNoCoop:              "%s is not a member of a co-op",
	CodeNoUser:              "no account has the number %d",
}

// Codes lists every validation message, for adapters that word them.
func Codes() []Code {
	out := make([]Code, 0, len(english))
	for c := range english {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// English is the code's wording in the API, with fmt verbs for its Args.
func (c Code) English() string { return english[c] }

// Invalid reports bad input in the named field with a coded message.
func Invalid(field string, code Code, args ...any) error {
	return &Error{Kind: KindInvalid, Field: field, Code: code, Args: args, Message: fmt.Sprintf(english[code], args...)}
}

// Conflict reports, with a coded message, that a field's value clashes
// with what is stored.
func Conflict(field string, code Code, args ...any) error {
	return &Error{Kind: KindConflict, Field: field, Code: code, Args: args, Message: fmt.Sprintf(english[code], args...)}
}

// Refused reports, with a coded message, that the caller may not do this
// with what the named field holds (a blocked domain, a suspended co-op).
func Refused(field string, code Code, args ...any) error {
	return &Error{Kind: KindForbidden, Field: field, Code: code, Args: args, Message: fmt.Sprintf(english[code], args...)}
}

// Invalidf reports bad input in the named field.
func Invalidf(field, format string, args ...any) error {
	return &Error{Kind: KindInvalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf reports that the thing asked for does not exist.
func NotFoundf(format string, args ...any) error {
	return &Error{Kind: KindNotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflictf reports that the change clashes with what is stored.
func Conflictf(field, format string, args ...any) error {
	return &Error{Kind: KindConflict, Field: field, Message: fmt.Sprintf(format, args...)}
}

// Forbiddenf reports that the caller may not do this.
func Forbiddenf(format string, args ...any) error {
	return &Error{Kind: KindForbidden, Message: fmt.Sprintf(format, args...)}
}

// Unauthorizedf reports missing or unknown credentials.
func Unauthorizedf(format string, args ...any) error {
	return &Error{Kind: KindUnauthorized, Message: fmt.Sprintf(format, args...)}
}

// Internal wraps an unexpected failure; its detail is for logs only.
func Internal(op string, err error) error {
	if err == nil {
		return nil
	}
	var de *Error
	if errors.As(err, &de) {
		return err
	}
	return &Error{Kind: KindInternal, Message: op, Err: err}
}

// KindOf returns the kind of err, KindInternal for errors of other origins.
func KindOf(err error) Kind {
	var de *Error
	if errors.As(err, &de) {
		return de.Kind
	}
	return KindInternal
}

// SafeMessage is the text that may be shown to the requester: the message
// with its field for domain errors, a generic sentence otherwise.
func SafeMessage(err error) string {
	var de *Error
	if errors.As(err, &de) && de.Kind != KindInternal {
		if de.Field != "" {
			return de.Field + ": " + de.Message
		}
		return de.Message
	}
	return "internal error"
}
