// Package job describes background work in domain terms, so that domain
// services can ask for side effects (publish at a time, send a post, deliver
// an activity) without knowing the queue that runs them. Storage inserts the
// jobs in the same transaction as the state change that calls for them.
package job

import "time"

// Args is the payload of a job; its Kind names the worker that runs it. It is
// marshalled to JSON, so its fields must be exported.
type Args interface {
	Kind() string
}

// Email asks for one email to be sent. Domain services build it (in the
// site's language) and enqueue it with the change that calls for it; the
// job queue hands it to the mail sender, and retries temporary failures.
type Email struct {
	To      []string `json:"to"`
	Subject string   `json:"subject"`
	Text    string   `json:"text"`
	HTML    string   `json:"html,omitempty"`
	// MessageID keeps retries of one job the same message.
	MessageID string `json:"message_id"`
	// Headers are extra headers, such as List-Unsubscribe.
	Headers map[string]string `json:"headers,omitempty"`
	// Attachments are files sent with the message (a receipt's PDF),
	// kept in the job so a retry sends the same bytes.
	Attachments []Attachment `json:"attachments,omitempty"`
}

// Attachment is a file sent with an email.
type Attachment struct {
	Name        string `json:"name"`
	ContentType string `json:"content_type"`
	Data        []byte `json:"data"`
}

// Kind names the worker that sends emails.
func (Email) Kind() string { return "mail.send" }

// Job is one piece of background work to enqueue.
type Job struct {
	Args Args
	// RunAt delays the job until that time; zero means as soon as possible.
	RunAt time.Time
	// Unique makes a second job with the same kind and arguments a no-op
	// while the first has not completed, so retries and double clicks never
	// duplicate work.
	Unique bool
	// Queue names the queue that runs it; empty is the default one.
	Queue string
}

// QueueOutbound runs the jobs that mostly wait on other servers (social
// posts, fediverse deliveries): many at once, apart from the site's own
// work, so that a slow network does not hold up emails or publications.
const QueueOutbound = "outbound"
