package forward

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// CloudFront's defaults for a custom origin (OriginConnectTimeout, OriginReadTimeout,
// OriginKeepaliveTimeout, ConnectionAttempts).
const (
	DefaultConnectTimeout     = 10 * time.Second
	DefaultReadTimeout        = 30 * time.Second
	DefaultKeepAliveTimeout   = 5 * time.Second
	DefaultConnectionAttempts = 3
)

// Header is one custom origin header (CustomHeaders/OriginCustomHeader in a distribution).
type Header struct{ Name, Value string }

// Origin is where a request goes. The zero values of the tuning fields mean CloudFront's
// defaults. An Origin is read, never written, by the forwarder, so one value can serve many
// requests at once.
type Origin struct {
	Scheme string // "http" or "https" (already resolved from the origin protocol policy)
	Host   string // domain name or IP literal (IPv6 without brackets)
	Port   int    // 0 means 80 for http, 443 for https
	Path   string // origin path, "" or "/prefix" without a trailing slash; prefixed to every URI

	// Headers are added to every request; a viewer header of the same name is replaced.
	Headers []Header
	// HostHeader, when set, is the Host sent to the origin (cf.updateRequestOrigin's
	// hostHeader); otherwise Host is the origin's domain (with the port when not the default).
	HostHeader string

	ConnectTimeout   time.Duration // per connection attempt
	ReadTimeout      time.Duration // origin response timeout: first byte, and between reads
	KeepAliveTimeout time.Duration // how long an idle connection is kept for reuse
	// ConnectionAttempts is how many times a connection is tried; for GET and HEAD it is also
	// how many times the request is sent when the origin does not answer within ReadTimeout.
	ConnectionAttempts int
}

func (o *Origin) port() int {
	if o.Port != 0 {
		return o.Port
	}
	if o.Scheme == "https" {
		return 443
	}
	return 80
}

func (o *Origin) connectTimeout() time.Duration {
	if o.ConnectTimeout > 0 {
		return o.ConnectTimeout
	}
	return DefaultConnectTimeout
}

func (o *Origin) readTimeout() time.Duration {
	if o.ReadTimeout > 0 {
		return o.ReadTimeout
	}
	return DefaultReadTimeout
}

func (o *Origin) keepAliveTimeout() time.Duration {
	if o.KeepAliveTimeout > 0 {
		return o.KeepAliveTimeout
	}
	return DefaultKeepAliveTimeout
}

func (o *Origin) attempts() int {
	if o.ConnectionAttempts > 0 {
		return o.ConnectionAttempts
	}
	return DefaultConnectionAttempts
}

// hostPort is the dial address.
func (o *Origin) hostPort() string {
	p := strconv.Itoa(o.port())
	if strings.IndexByte(o.Host, ':') >= 0 {
		return "[" + o.Host + "]:" + p
	}
	return o.Host + ":" + p
}

// hostHeader is the Host value sent to the origin.
func (o *Origin) hostHeader() string {
	if o.HostHeader != "" {
		return o.HostHeader
	}
	if o.Port == 0 || (o.Scheme == "https" && o.Port == 443) || (o.Scheme != "https" && o.Port == 80) {
		if strings.IndexByte(o.Host, ':') >= 0 {
			return "[" + o.Host + "]"
		}
		return o.Host
	}
	return o.hostPort()
}

// Validate checks an origin once, when a distribution is loaded, so RoundTrip can trust it.
func (o *Origin) Validate() error {
	if o.Scheme != "http" && o.Scheme != "https" {
		return fmt.Errorf("origin scheme %q: want http or https", o.Scheme)
	}
	if o.Host == "" || strings.ContainsAny(o.Host, " /?#@[]\t\r\n") {
		return fmt.Errorf("origin host %q is not a host name or IP address", o.Host)
	}
	if o.Port < 0 || o.Port > 65535 {
		return fmt.Errorf("origin port %d out of range", o.Port)
	}
	if o.Path != "" && (o.Path[0] != '/' || o.Path[len(o.Path)-1] == '/' || !validPath(o.Path)) {
		return fmt.Errorf("origin path %q: must start with / and not end with /", o.Path)
	}
	if o.HostHeader != "" && !validValue(o.HostHeader) {
		return errors.New("origin host header contains control characters")
	}
	for _, h := range o.Headers {
		if !validName(h.Name) {
			return fmt.Errorf("custom origin header name %q is not a token", h.Name)
		}
		if !validValue(h.Value) {
			return fmt.Errorf("custom origin header %s: value contains control characters", h.Name)
		}
		if reservedCustomHeader(h.Name) {
			return fmt.Errorf("custom origin header %s cannot be set", h.Name)
		}
	}
	if o.ConnectionAttempts < 0 || o.ConnectionAttempts > 3 {
		return fmt.Errorf("connection attempts %d: want 1 to 3", o.ConnectionAttempts)
	}
	return nil
}

// reservedCustomHeader lists the names CloudFront refuses as custom origin headers
// ([DOC] "Custom headers that CloudFront can't add to origin requests"); the forwarder
// also owns several of them (Host, Via, framing, hop-by-hop).
func reservedCustomHeader(name string) bool {
	n := strings.ToLower(name)
	if strings.HasPrefix(n, "x-amz-") || strings.HasPrefix(n, "x-edge-") {
		return true
	}
	switch n {
	case "cache-control", "connection", "content-length", "cookie", "host", "if-match",
		"if-modified-since", "if-none-match", "if-range", "if-unmodified-since", "keep-alive",
		"max-forwards", "pragma", "proxy-authenticate", "proxy-authorization", "proxy-connection",
		"range", "request-range", "te", "trailer", "transfer-encoding", "upgrade", "via",
		"x-forwarded-for", "x-real-ip":
		return true
	}
	return false
}
