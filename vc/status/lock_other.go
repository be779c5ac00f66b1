//go:build !(darwin || dragonfly || freebsd || linux || netbsd || openbsd)

package status

import (
	"errors"
	"fmt"
	"os"
)

// lockDir creates path exclusively. Without flock, a lock left by a
// crashed process stays until removed by hand, which the error says.
func lockDir(path string) (*os.File, error) {
	f, err := os.OpenFile(path, os.O_CREATE|os.O_EXCL|os.O_RDWR, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, fmt.Errorf("%w: %s exists: another Store has the directory open (if no process does, a crashed one left it: remove it)", ErrStoreLocked, path)
	}
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(f, "%d\n", os.Getpid())
	return f, nil
}

// unlockDir releases the lock taken by lockDir.
func unlockDir(f *os.File, path string) error {
	err := f.Close()
	if rerr := os.Remove(path); err == nil {
		err = rerr
	}
	return err
}
