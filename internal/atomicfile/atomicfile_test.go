package atomicfile

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "list.json")
	renamed, err := Write(path, []byte("old"), 0o644)
	require.NoError(t, err)
	assert.True(t, renamed)
	renamed, err = Write(path, []byte("new"), 0o600)
	require.NoError(t, err)
	assert.True(t, renamed)
	got, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, "new", string(got))
	fi, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), fi.Mode().Perm())
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 1, "no temporary file left")

	// A directory that does not exist: nothing written, nothing renamed.
	renamed, err = Write(filepath.Join(dir, "missing", "x.json"), []byte("x"), 0o644)
	assert.Error(t, err)
	assert.False(t, renamed)
	// A target that is a directory: the rename fails, the temporary file
	// is removed.
	require.NoError(t, os.Mkdir(filepath.Join(dir, "sub"), 0o700))
	renamed, err = Write(filepath.Join(dir, "sub"), []byte("x"), 0o644)
	assert.Error(t, err)
	assert.False(t, renamed)
	entries, err = os.ReadDir(dir)
	require.NoError(t, err)
	assert.Len(t, entries, 2)
}
