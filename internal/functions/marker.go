package functions

import (
	"encoding/base64"
	"strings"

	"github.com/localfront/localfront/internal/apierror"
)

// position is a place in ListFunctions' order: (name, stage), DEVELOPMENT before LIVE.
type position struct {
	name  string
	stage Stage
}

// encodeMarker makes the opaque Marker for "continue after p": base64url of
// "<name>/<stage>" ('/' never occurs in a function name).
func encodeMarker(p position) string {
	return base64.RawURLEncoding.EncodeToString([]byte(p.name + "/" + string(p.stage)))
}

// decodeMarker parses a Marker; "" is the start of the list.
func decodeMarker(m string) (position, error) {
	if m == "" {
		return position{}, nil
	}
	bad := apierror.InvalidArgument("The parameter Marker is not valid.")
	b, err := base64.RawURLEncoding.DecodeString(m)
	if err != nil {
		return position{}, bad
	}
	name, stage, ok := strings.Cut(string(b), "/")
	if !ok || !nameRE.MatchString(name) || (Stage(stage) != Development && Stage(stage) != Live) {
		return position{}, bad
	}
	return position{name, Stage(stage)}, nil
}
