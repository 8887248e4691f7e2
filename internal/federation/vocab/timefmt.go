package vocab

import "time"

// formatTime writes t as ActivityPub peers write dates: UTC, whole seconds,
// "Z" (2006-01-02T15:04:05Z), which every implementation parses. The zero
// time gives "", for fields left out.
func formatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Truncate(time.Second).Format("2006-01-02T15:04:05Z")
}

// parseTime reads a date as peers write it (RFC 3339, with or without
// fractional seconds). Anything else gives the zero time: a bad date is not
// worth refusing an activity for.
func parseTime(s string) time.Time {
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t
}
