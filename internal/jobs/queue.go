// Package jobs runs kiosque's background work on River, on the same
// database as the data (SQLite or PostgreSQL), so that a job is inserted in
// the transaction of the change that calls for it and runs once, on one
// instance, whatever the number of instances.
package jobs

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/riverqueue/river"
	"github.com/riverqueue/river/riverdriver/riverpgxv5"
	"github.com/riverqueue/river/riverdriver/riversqlite"
	"github.com/riverqueue/river/rivermigrate"

	"github.com/kiosque/kiosque/internal/comments"
	"github.com/kiosque/kiosque/internal/content"
	"github.com/kiosque/kiosque/internal/donations"
	"github.com/kiosque/kiosque/internal/federation"
	"github.com/kiosque/kiosque/internal/job"
	"github.com/kiosque/kiosque/internal/shop"
	"github.com/kiosque/kiosque/internal/storage"
	"github.com/kiosque/kiosque/internal/syndication"
)

// Services are the domain services and adapters that workers call.
type Services struct {
	Content  *content.Service
	Comments *comments.Service
	// Donations issues the monthly donors' annual receipts; nil runs
	// no such job.
	Donations *donations.Service
	// Shop sweeps expired checkouts; nil runs no such job.
	Shop   *shop.Service
	Mailer Mailer
	// Syndication posts articles to social accounts; nil runs no
	// deliveries.
	Syndication *syndication.Service
	// Federation processes the fediverse's activities and delivers the
	// site's; nil runs neither.
	Federation *federation.Service
	// Observers hear of every article change (content.ArticleChangedJob):
	// social auto-publishing, the fediverse.
	Observers []ArticleObserver
}

// Queue is the job queue. It implements storage.Enqueuer.
type Queue struct {
	impl queueImpl
}

type queueImpl interface {
	enqueueTx(ctx context.Context, tx any, jobs []job.Job) error
	start(ctx context.Context) error
	stop(ctx context.Context) error
}

var _ storage.Enqueuer = (*Queue)(nil)

// OutboundWorkers is how many outbound jobs (job.QueueOutbound) run at
// once at least: they spend their time waiting on other servers.
const OutboundWorkers = 20

// Options tune the queue.
type Options struct {
	Logger *slog.Logger
	// Workers is the number of jobs run at once; 0 makes an insert-only
	// queue (for commands that only write, such as imports).
	Workers int
	// SweepInterval is how often the safety sweep publishes overdue
	// scheduled articles (default one minute).
	SweepInterval time.Duration
}

// New returns a queue on db. With opts.Workers > 0, svc must be complete:
// its services run the jobs.
func New(db *storage.DB, svc Services, opts Options) (*Queue, error) {
	if opts.Logger == nil {
		opts.Logger = slog.New(slog.DiscardHandler)
	}
	cfg := &river.Config{
		Logger:     opts.Logger.With("component", "jobs"),
		JobTimeout: 5 * time.Minute,
	}
	if opts.Workers > 0 {
		workers := river.NewWorkers()
		river.AddWorker(workers, &publishScheduledWorker{content: svc.Content})
		river.AddWorker(workers, &publishDueWorker{content: svc.Content})
		river.AddWorker(workers, &refreshRelatedWorker{content: svc.Content})
		river.AddWorker(workers, &articleChangedWorker{observers: svc.Observers})
		river.AddWorker(workers, &mailWorker{mailer: svc.Mailer})
		river.AddWorker(workers, &purgeCommentLogWorker{comments: svc.Comments})
		river.AddWorker(workers, &notifyCommentWorker{comments: svc.Comments})
		river.AddWorker(workers, &commentDigestWorker{comments: svc.Comments})
		river.AddWorker(workers, &akismetSubmitWorker{comments: svc.Comments})
		if svc.Donations != nil {
			river.AddWorker(workers, &annualReceiptsWorker{donations: svc.Donations})
		}
		if svc.Syndication != nil {
			river.AddWorker(workers, &deliverWorker{svc: svc.Syndication})
		}
		if svc.Shop != nil {
			river.AddWorker(workers, &shopSweepWorker{shop: svc.Shop})
		}
		if svc.Federation != nil {
			river.AddWorker(workers, &apProcessWorker{svc: svc.Federation})
			river.AddWorker(workers, &apDeliverWorker{svc: svc.Federation})
			river.AddWorker(workers, &apPurgeWorker{svc: svc.Federation})
		}
		cfg.Workers = workers
		cfg.Queues = map[string]river.QueueConfig{river.QueueDefault: {MaxWorkers: opts.Workers},
			job.QueueOutbound: {MaxWorkers: max(opts.Workers, OutboundWorkers), FetchCooldown: 20 * time.Millisecond,
				FetchPollInterval: 100 * time.Millisecond}}
		sweep := cmpOr(opts.SweepInterval, time.Minute)
		cfg.PeriodicJobs = []*river.PeriodicJob{
			// One sweep per interval, even if two instances both think
			// they lead for a moment.
			river.NewPeriodicJob(river.PeriodicInterval(sweep),
				func() (river.JobArgs, *river.InsertOpts) {
					return publishDueArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: sweep}}
				}, &river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
				func() (river.JobArgs, *river.InsertOpts) {
					return refreshRelatedArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
				}, nil),
			river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
				func() (river.JobArgs, *river.InsertOpts) {
					return purgeCommentLogArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
				}, &river.PeriodicJobOpts{RunOnStart: true}),
			river.NewPeriodicJob(dailyAt{hour: DigestHour, loc: func() *time.Location { return svc.Comments.Settings().Location() }},
				func() (river.JobArgs, *river.InsertOpts) {
					return comments.DigestArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
				}, nil),
		}
		if svc.Donations != nil {
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(
				dailyAt{hour: AnnualReceiptsHour, loc: func() *time.Location { return svc.Comments.Settings().Location() }},
				func() (river.JobArgs, *river.InsertOpts) {
					return donations.AnnualReceiptsArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
				}, nil))
		}
		if svc.Federation != nil {
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(24*time.Hour),
				func() (river.JobArgs, *river.InsertOpts) {
					return apPurgeArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: time.Hour}}
				}, &river.PeriodicJobOpts{RunOnStart: true}))
		}
		if svc.Shop != nil {
			cfg.PeriodicJobs = append(cfg.PeriodicJobs, river.NewPeriodicJob(river.PeriodicInterval(ShopSweepInterval),
				func() (river.JobArgs, *river.InsertOpts) {
					return shop.ExpireArgs{}, &river.InsertOpts{UniqueOpts: river.UniqueOpts{ByPeriod: ShopSweepInterval}}
				}, &river.PeriodicJobOpts{RunOnStart: true}))
		}
		if db.Dialect() == storage.SQLite {
			// SQLite has no LISTEN/NOTIFY: River would emulate it by
			// polling a table every 50 ms, costing CPU that pages need.
			// Polling for jobs twice a second is enough for a newsroom.
			cfg.PollOnly = true
			cfg.FetchPollInterval = 500 * time.Millisecond
		}
	}
	if db.Dialect() == storage.Postgres {
		c, err := river.NewClient(riverpgxv5.New(db.Pool()), cfg)
		if err != nil {
			return nil, fmt.Errorf("new job queue: %w", err)
		}
		return &Queue{impl: &riverQueue[pgx.Tx]{client: c, working: opts.Workers > 0}}, nil
	}
	c, err := river.NewClient(riversqlite.New(db.SQLWrite()), cfg)
	if err != nil {
		return nil, fmt.Errorf("new job queue: %w", err)
	}
	return &Queue{impl: &riverQueue[sqlTx]{client: c, working: opts.Workers > 0}}, nil
}

// Migrate creates or updates River's tables.
func Migrate(ctx context.Context, db *storage.DB) error {
	if db.Dialect() == storage.Postgres {
		m, err := rivermigrate.New(riverpgxv5.New(db.Pool()), nil)
		if err != nil {
			return err
		}
		_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
		return err
	}
	m, err := rivermigrate.New(riversqlite.New(db.SQLWrite()), nil)
	if err != nil {
		return err
	}
	_, err = m.Migrate(ctx, rivermigrate.DirectionUp, nil)
	return err
}

// EnqueueTx implements storage.Enqueuer.
func (q *Queue) EnqueueTx(ctx context.Context, tx any, jobs []job.Job) error {
	return q.impl.enqueueTx(ctx, tx, jobs)
}

// Start begins working jobs until Stop.
func (q *Queue) Start(ctx context.Context) error { return q.impl.start(ctx) }

// Stop waits for running jobs to finish (or ctx to end) and stops.
func (q *Queue) Stop(ctx context.Context) error { return q.impl.stop(ctx) }

type riverQueue[TTx any] struct {
	client  *river.Client[TTx]
	working bool
}

func (q *riverQueue[TTx]) enqueueTx(ctx context.Context, tx any, jobs []job.Job) error {
	t, ok := tx.(TTx)
	if !ok {
		return fmt.Errorf("enqueue: transaction of type %T, want %T", tx, *new(TTx))
	}
	params := make([]river.InsertManyParams, len(jobs))
	for i, j := range jobs {
		opts := &river.InsertOpts{}
		if !j.RunAt.IsZero() {
			opts.ScheduledAt = j.RunAt
		}
		if j.Unique {
			opts.UniqueOpts = river.UniqueOpts{ByArgs: true}
		}
		opts.Queue = j.Queue
		params[i] = river.InsertManyParams{Args: j.Args, InsertOpts: opts}
	}
	if _, err := q.client.InsertManyTx(ctx, t, params); err != nil {
		return fmt.Errorf("insert %d jobs: %w", len(jobs), err)
	}
	return nil
}

func (q *riverQueue[TTx]) start(ctx context.Context) error {
	if !q.working {
		return errors.New("start job queue: it was built insert-only")
	}
	return q.client.Start(ctx)
}

func (q *riverQueue[TTx]) stop(ctx context.Context) error {
	if !q.working {
		return nil
	}
	err := q.client.Stop(ctx)
	if err != nil && ctx.Err() != nil {
		// Jobs still running when the time is up (a post waiting on a
		// server that does not answer) are cancelled rather than left
		// to outlive the database: their next run resumes them.
		cctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		if cerr := q.client.StopAndCancel(cctx); cerr == nil {
			return nil
		}
	}
	return err
}

func cmpOr(d, def time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return def
}
