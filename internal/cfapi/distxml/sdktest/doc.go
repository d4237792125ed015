// Package sdktest drives the distxml codec and the distributions service through the
// real AWS SDK for Go v2. It holds only tests; they live apart from distxml so that
// distxml's own test binary (and its fuzzer) does not link the SDK and SQLite.
package sdktest
