package app

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// dataLock is an exclusive lock on a data directory, held while serving,
// so a second `kiosque serve` on the same SQLite files stops with a clear
// message instead of running two job queues on one file.
type dataLock struct {
	f *os.File
}

// ErrLocked is returned when another process serves the same data directory.
var ErrLocked = errors.New("data directory in use")

func lockDataDir(dir string) (*dataLock, error) {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return nil, fmt.Errorf("create data directory: %w", err)
	}
	path := filepath.Join(dir, "kiosque.lock")
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open lock file: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		b, _ := os.ReadFile(path)
		_ = f.Close()
		pid := strings.TrimSpace(string(b))
		if _, perr := strconv.Atoi(pid); perr != nil || pid == "" {
			pid = "unknown"
		}
		abs, _ := filepath.Abs(dir)
		return nil, fmt.Errorf("%w: another kiosque (pid %s) is already serving %s; stop it first, or give this one another --data directory", ErrLocked, pid, abs)
	}
	_ = f.Truncate(0)
	_, _ = f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	return &dataLock{f: f}, nil
}

func (l *dataLock) release() {
	_ = syscall.Flock(int(l.f.Fd()), syscall.LOCK_UN)
	_ = l.f.Close()
}
