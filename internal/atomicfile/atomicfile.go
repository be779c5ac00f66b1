// Package atomicfile replaces files so that readers, and a process that
// restarts after a crash, see the old or the new content, never part of
// one: write a temporary file in the same directory, fsync it, rename it
// into place, fsync the directory.
package atomicfile

import (
	"os"
	"path/filepath"
	"runtime"
)

// tempInfix follows the target's name in the name of every temporary file
// Write creates: ".NAME.tmp…". A caller that finds such files after a crash
// may remove them: the rename never happened.
const tempInfix = ".tmp"

// Write replaces path with data, mode perm. renamed reports whether the
// new file is in place: when err is not nil but renamed is true, only the
// directory fsync failed, so the new content is visible but perhaps not
// yet durable.
func Write(path string, data []byte, perm os.FileMode) (renamed bool, err error) {
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+tempInfix+"*")
	if err != nil {
		return false, err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		err = f.Chmod(perm)
	}
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
		return false, err
	}
	return true, SyncDir(filepath.Dir(path))
}

// SyncDir fsyncs a directory, making renames and creations in it durable.
// Windows cannot sync a directory (NTFS makes the rename durable itself).
func SyncDir(dir string) error {
	if runtime.GOOS == "windows" {
		return nil
	}
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	err = d.Sync()
	if cerr := d.Close(); err == nil {
		err = cerr
	}
	return err
}
