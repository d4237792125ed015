//go:build !unix

package selfsigned

import "os"

// ownedByMe cannot tell the owner here; the permission bits are still checked.
func ownedByMe(os.FileInfo) bool { return true }
