package main

import "runtime/debug"

// buildVersion is set at link time: go build -ldflags "-X main.buildVersion=v1.2.3".
var buildVersion = ""

// version is the link-time version, else the module version, else what VCS stamping knows.
func version() string {
	if buildVersion != "" {
		return buildVersion
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "(unknown)"
	}
	if v := info.Main.Version; v != "" && v != "(devel)" {
		return v
	}
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			return "devel-" + s.Value[:12]
		}
	}
	return "devel"
}
