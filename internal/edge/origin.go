package edge

import (
	"fmt"
	"slices"
	"time"

	"github.com/localfront/localfront/internal/distributions"
	"github.com/localfront/localfront/internal/edge/forward"
	"github.com/localfront/localfront/internal/runtime"
)

// route is where a request goes: one origin, or a primary and a secondary that takes over
// when the primary fails or answers one of the failover statuses.
type route struct {
	primary   *forward.Origin
	secondary *forward.Origin
	failover  []int  // statuses that send the request to the secondary
	err       string // why the target cannot be reached ("" when it can)
}

// target is a route before it is turned into forwarder origins: distribution origins (copies
// a function may change through the origin helpers) and Host overrides.
type target struct {
	primary, secondary         distributions.Origin
	primaryHost, secondaryHost string
	group                      bool
	failover                   []int
}

// forwardOrigin turns a distribution origin into the forwarder's description for a request
// that arrived over scheme ("http" or "https"). S3 origins are fetched over HTTPS from their
// domain name, unsigned; VPC origins cannot be reached from here.
func forwardOrigin(o *distributions.Origin, scheme, hostHeader string) (*forward.Origin, error) {
	if o.VPC {
		return nil, fmt.Errorf("origin %s is a VPC origin, which LocalFront cannot reach", o.ID)
	}
	fo := &forward.Origin{
		Scheme:             "https",
		Host:               o.DomainName,
		Path:               o.OriginPath,
		HostHeader:         hostHeader,
		ConnectTimeout:     seconds(o.ConnectionTimeout),
		ConnectionAttempts: o.ConnectionAttempts,
	}
	for _, h := range o.CustomHeaders {
		fo.Headers = append(fo.Headers, forward.Header{Name: h.Name, Value: h.Value})
	}
	if c := o.Custom; c != nil {
		policy := c.ProtocolPolicy
		if policy == distributions.OriginMatchViewer {
			policy = distributions.OriginHTTPOnly
			if scheme == "https" {
				policy = distributions.OriginHTTPSOnly
			}
		}
		if policy == distributions.OriginHTTPOnly {
			fo.Scheme, fo.Port = "http", c.HTTPPort
		} else {
			fo.Port = c.HTTPSPort
		}
		fo.ReadTimeout = seconds(c.ReadTimeout)
		fo.KeepAliveTimeout = seconds(c.KeepaliveTimeout)
	}
	if err := fo.Validate(); err != nil {
		return nil, fmt.Errorf("origin %s: %v", o.ID, err)
	}
	return fo, nil
}

func seconds(n int) time.Duration { return time.Duration(n) * time.Second }

// targetFor resolves a behaviour's TargetOriginId: an origin, or an origin group.
func (d *distEntry) targetFor(id string) (target, error) {
	if g := d.cfg.OriginGroup(id); g != nil {
		p, s := d.cfg.Origin(g.PrimaryOriginID), d.cfg.Origin(g.SecondaryOriginID)
		if p == nil || s == nil {
			return target{}, fmt.Errorf("origin group %s names an origin that does not exist", id)
		}
		return target{primary: *p, secondary: *s, group: true, failover: g.FailoverStatusCodes}, nil
	}
	if o := d.cfg.Origin(id); o != nil {
		return target{primary: *o}, nil
	}
	return target{}, fmt.Errorf("no origin or origin group %s", id)
}

// route turns a target into forwarder origins.
func (t *target) route(scheme string) route {
	p, err := forwardOrigin(&t.primary, scheme, t.primaryHost)
	if err != nil {
		return route{err: err.Error()}
	}
	r := route{primary: p}
	if t.group {
		s, err := forwardOrigin(&t.secondary, scheme, t.secondaryHost)
		if err != nil {
			return route{err: err.Error()}
		}
		r.secondary, r.failover = s, t.failover
	}
	return r
}

// applyOriginSteps applies the origin helpers a viewer-request function called, in order
// (spec §10.5): updateRequestOrigin changes the current origin (the primary of a group);
// selectRequestOriginById switches to another origin of the distribution;
// createRequestOriginGroup replaces the target with a group of two of its origins.
// reqHeaders are the headers of the request going to the origin: custom headers may not
// duplicate them.
func (d *distEntry) applyOriginSteps(t target, steps []runtime.OriginStep, reqHeaders runtime.Values) (target, error) {
	for _, s := range steps {
		switch s.Kind {
		case runtime.StepUpdateOrigin:
			if err := updateOrigin(&t.primary, &t.primaryHost, &s.Update, reqHeaders); err != nil {
				return t, err
			}
		case runtime.StepSelectOrigin:
			o := d.cfg.Origin(s.OriginID)
			if o == nil {
				return t, invalidf("selectRequestOriginById: the distribution has no origin %q", s.OriginID)
			}
			t = target{primary: *o, primaryHost: s.Overrides.HostHeader}
		case runtime.StepCreateOriginGroup:
			var members [2]distributions.Origin
			for i, m := range s.Group.Members {
				o := d.cfg.Origin(m.OriginID)
				if o == nil {
					return t, invalidf("createRequestOriginGroup: the distribution has no origin %q", m.OriginID)
				}
				members[i] = *o
			}
			t = target{
				primary: members[0], primaryHost: s.Group.Members[0].Overrides.HostHeader,
				secondary: members[1], secondaryHost: s.Group.Members[1].Overrides.HostHeader,
				group: true, failover: slices.Clone(s.Group.FailoverStatusCodes),
			}
		}
	}
	return t, nil
}

// updateOrigin applies cf.updateRequestOrigin's parameters to an origin; omitted fields keep
// the origin's values. Changing the domain name resets a Host override unless hostHeader is
// given, since the Host defaults to the domain name.
func updateOrigin(o *distributions.Origin, host *string, u *runtime.OriginUpdate, reqHeaders runtime.Values) error {
	if u.DomainName != "" {
		o.DomainName = u.DomainName
		*host = ""
	}
	if u.HostHeader != "" {
		*host = u.HostHeader
	}
	if u.OriginPath != "" {
		o.OriginPath = u.OriginPath
	}
	if u.SetCustomHeaders {
		o.CustomHeaders = o.CustomHeaders[:0:0]
		for _, h := range u.CustomHeaders {
			if _, dup := lookupFold(reqHeaders, h.Name); dup {
				return invalidf("updateRequestOrigin: the custom header %s duplicates a request header", h.Name)
			}
			o.CustomHeaders = append(o.CustomHeaders, distributions.Header{Name: titleCase(h.Name), Value: h.Value})
		}
	}
	if u.ConnectionAttempts != 0 {
		o.ConnectionAttempts = u.ConnectionAttempts
	}
	if u.Timeouts.Connection != 0 {
		o.ConnectionTimeout = u.Timeouts.Connection
	}
	needCustom := u.Custom != nil || u.Timeouts.Read != 0 || u.Timeouts.KeepAlive != 0
	if needCustom && o.Custom == nil {
		// An S3 origin turned into a custom one: HTTPS on 443 unless said otherwise.
		o.Custom = &distributions.CustomOriginConfig{
			HTTPPort: 80, HTTPSPort: 443, ProtocolPolicy: distributions.OriginHTTPSOnly,
			ReadTimeout: distributions.DefaultReadTimeout, KeepaliveTimeout: distributions.DefaultKeepaliveTimeout,
		}
		o.S3 = false
	} else if needCustom {
		c := *o.Custom
		o.Custom = &c
	}
	if c := u.Custom; c != nil {
		switch c.Protocol {
		case "http":
			o.Custom.ProtocolPolicy = distributions.OriginHTTPOnly
		case "https":
			o.Custom.ProtocolPolicy = distributions.OriginHTTPSOnly
		}
		if c.Port != 0 {
			switch o.Custom.ProtocolPolicy {
			case distributions.OriginHTTPOnly:
				o.Custom.HTTPPort = c.Port
			case distributions.OriginHTTPSOnly:
				o.Custom.HTTPSPort = c.Port
			default:
				o.Custom.HTTPPort, o.Custom.HTTPSPort = c.Port, c.Port
			}
		}
	}
	if u.Timeouts.Read != 0 {
		o.Custom.ReadTimeout = u.Timeouts.Read
	}
	if u.Timeouts.KeepAlive != 0 {
		o.Custom.KeepaliveTimeout = u.Timeouts.KeepAlive
	}
	// originShield, originAccessControlConfig, ipAddressType, sni and allowedCertificateNames
	// were validated by the runtime; LocalFront has no shield layer, does not sign origin
	// requests and lets the system resolver and TLS defaults decide the rest.
	return nil
}

// failsOver reports whether a response status sends the request to the secondary origin.
func (r *route) failsOver(status int) bool {
	return r.secondary != nil && slices.Contains(r.failover, status)
}

// failoverMethod: CloudFront fails over only for GET, HEAD and OPTIONS requests.
func failoverMethod(m string) bool {
	return m == "GET" || m == "HEAD" || m == "OPTIONS"
}
