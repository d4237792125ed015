package kvs

import (
	"errors"
	"io/fs"
	"path/filepath"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
)

// ImportPolicy limits what an ImportSource may make the server read. CreateKeyValueStore
// callers name the location, so an unrestricted server reads any file it can open and
// fetches any URL for them: right when the caller is the local user, server-side request
// forgery otherwise. The zero value is unrestricted.
type ImportPolicy struct {
	// Restricted refuses URL imports and accepts only files inside Dir (none if Dir is "").
	Restricted bool
	// Dir is the directory files may be imported from when Restricted.
	Dir string
}

// onlyImportDir explains where a restricted server imports files from.
const onlyImportDir = "this server imports files only from its --kvs-import-dir directory (LOCALFRONT_KVS_IMPORT_DIR)"

func (p ImportPolicy) checkURL(loc string) error {
	if p.Restricted {
		return apierror.InvalidArgument("ImportSource SourceARN %s is refused: this server does not fetch URLs for its callers when it accepts callers other than the local user (--credentials, --insecure-public or --kvs-import-dir). Put the file in the --kvs-import-dir directory and give its path.", loc)
	}
	return nil
}

// checkFile returns the path to read for the absolute, cleaned path, or an InvalidArgument
// error when the policy does not allow it. Inside Dir, links are resolved and the result
// must still be inside Dir (no escape by symlink or ..). A missing file inside Dir is
// allowed: it fails the import later, as an unusable S3 object does.
func (p ImportPolicy) checkFile(path string) (string, error) {
	if !p.Restricted {
		return path, nil
	}
	refuse := func(why string) error {
		return apierror.InvalidArgument("ImportSource SourceARN %s is refused: %s.", path, why)
	}
	if p.Dir == "" {
		return "", refuse(onlyImportDir + ", which must be set when the server accepts callers other than the local user (--credentials or --insecure-public)")
	}
	dir, err := filepath.Abs(p.Dir)
	if err != nil {
		return "", refuse("the import directory is unusable")
	}
	realDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", refuse("the import directory " + p.Dir + " is unusable")
	}
	outside := refuse(onlyImportDir + ", " + p.Dir + ", and the file is outside it")
	if !within(dir, path) && !within(realDir, path) {
		return "", outside
	}
	real, err := filepath.EvalSymlinks(path)
	if errors.Is(err, fs.ErrNotExist) {
		return path, nil
	}
	if err != nil || !within(realDir, real) {
		return "", outside
	}
	return real, nil
}

// checkLocation re-applies the policy to a stored location right before it is read, so a
// link changed since creation (or a policy changed by a restart) cannot widen it.
func (p ImportPolicy) checkLocation(location string) error {
	if !filepath.IsAbs(location) {
		return p.checkURL(location)
	}
	_, err := p.checkFile(location)
	return err
}

// within reports whether path is dir or below it; both are absolute and clean.
func within(dir, path string) bool {
	rel, err := filepath.Rel(dir, path)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}
