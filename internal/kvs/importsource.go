package kvs

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
)

// ErrImportTooLarge is returned by a FetchFunc when the source exceeds the limit.
var ErrImportTooLarge = errors.New("the import source is larger than 5 MB")

// checkImportSource validates an ImportSource at creation and returns the location to
// fetch: an absolute file path or an http(s) URL. A local file's size is checked here,
// so an oversized file fails CreateKeyValueStore with EntitySizeLimitExceeded; every
// other problem (missing file, bad content) surfaces later as IMPORT_FAILED, as
// CloudFront reports an unusable S3 object.
func checkImportSource(src ImportSource, policy ImportPolicy) (string, error) {
	if src.SourceType != "S3" {
		return "", apierror.InvalidArgument("ImportSource SourceType must be S3.")
	}
	loc := src.SourceARN
	lower := strings.ToLower(loc)
	switch {
	case loc == "":
		return "", apierror.InvalidArgument("ImportSource SourceARN is required.")
	case strings.HasPrefix(lower, "arn:") || strings.HasPrefix(lower, "s3://"):
		return "", apierror.InvalidArgument("LocalFront cannot read from Amazon S3 (%s). Give SourceARN as a local file (file:///path/data.json or /path/data.json) or an http(s):// URL that the server can read.", loc)
	case strings.HasPrefix(lower, "http://") || strings.HasPrefix(lower, "https://"):
		u, err := url.Parse(loc)
		if err != nil || u.Host == "" {
			return "", apierror.InvalidArgument("ImportSource SourceARN %s is not a valid URL.", loc)
		}
		if err := policy.checkURL(loc); err != nil {
			return "", err
		}
		return u.String(), nil
	case strings.HasPrefix(lower, "file:"):
		u, err := url.Parse(loc)
		if err != nil || (u.Host != "" && u.Host != "localhost") || !filepath.IsAbs(u.Path) {
			return "", apierror.InvalidArgument("ImportSource SourceARN %s is not a valid file URL; use file:///absolute/path.", loc)
		}
		return checkLocalFile(filepath.Clean(u.Path), policy)
	case filepath.IsAbs(loc):
		return checkLocalFile(filepath.Clean(loc), policy)
	}
	return "", apierror.InvalidArgument("ImportSource SourceARN %s is not supported: use file:///path, an absolute path, or an http(s):// URL.", loc)
}

func checkLocalFile(path string, policy ImportPolicy) (string, error) {
	path, err := policy.checkFile(path)
	if err != nil {
		return "", err
	}
	if fi, err := os.Stat(path); err == nil && fi.Mode().IsRegular() && fi.Size() > MaxStoreBytes {
		return "", apierror.EntitySizeLimitExceeded("The import file %s is %d bytes, more than the %d-byte limit.", path, fi.Size(), MaxStoreBytes)
	}
	return path, nil
}

// FetchLocation is the default FetchFunc: it reads a regular local file (absolute path)
// or GETs an http(s) URL, returning ErrImportTooLarge beyond limit bytes.
func FetchLocation(ctx context.Context, location string, limit int64) ([]byte, error) {
	if filepath.IsAbs(location) {
		f, err := os.Open(location)
		if err != nil {
			return nil, err
		}
		defer f.Close()
		fi, err := f.Stat()
		if err != nil {
			return nil, err
		}
		if !fi.Mode().IsRegular() {
			return nil, fmt.Errorf("%s is not a regular file", location)
		}
		return readLimited(f, limit)
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, location, nil)
	if err != nil {
		return nil, err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s returned %s", location, resp.Status)
	}
	return readLimited(resp.Body, limit)
}

func readLimited(r io.Reader, limit int64) ([]byte, error) {
	b, err := io.ReadAll(io.LimitReader(r, limit+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > limit {
		return nil, ErrImportTooLarge
	}
	return b, nil
}
