package jobs

import (
	"context"
	"errors"
	"fmt"

	"github.com/riverqueue/river"

	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/mail"
)

// Mailer sends one email; mail.SMTP and mail.Log implement it.
type Mailer interface {
	Send(ctx context.Context, m mail.Message) error
}

// mailWorker sends the emails that domain services enqueue. A temporary
// failure is retried with River's backoff; a permanent one (a refused
// address) cancels the job, since retrying cannot help.
type mailWorker struct {
	river.WorkerDefaults[job.Email]
	mailer Mailer
}

func (w *mailWorker) Work(ctx context.Context, j *river.Job[job.Email]) error {
	m := mail.Message{To: j.Args.To, Subject: j.Args.Subject, Text: j.Args.Text, HTML: j.Args.HTML, MessageID: j.Args.MessageID,
		Headers: j.Args.Headers}
	for _, a := range j.Args.Attachments {
		m.Attachments = append(m.Attachments, mail.Attachment{Name: a.Name, ContentType: a.ContentType, Data: a.Data})
	}
	err := w.mailer.Send(ctx, m)
	if errors.Is(err, mail.ErrPermanent) {
		return river.JobCancel(fmt.Errorf("send %q: %w", j.Args.Subject, err))
	}
	if err != nil {
		return fmt.Errorf("send %q: %w", j.Args.Subject, err)
	}
	return nil
}
