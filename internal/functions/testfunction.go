package functions

import (
	"context"

	"github.com/localfront/localfront/internal/apierror"
	"github.com/localfront/localfront/internal/etag"
	"github.com/localfront/localfront/internal/runtime"
	"github.com/localfront/localfront/internal/store"
)

// Test is TestFunction: runs the chosen stage's code (DEVELOPMENT when in.Stage is "")
// against the event. A JavaScript error is a successful test whose result carries
// ErrorMessage (spec §8).
//
// If-Match must be the current DEVELOPMENT ETag, as for the other conditional calls;
// when testing LIVE, that stage's own ETag is accepted too (spec §14 Q2). A stale ETag
// fails with PreconditionFailed although the model does not list it for TestFunction:
// it cannot be called valid, and the SDKs still surface the code and status.
func (s *Service) Test(ctx context.Context, account, name, ifMatch string, in TestInput) (TestResult, error) {
	if err := validateName(name); err != nil {
		return TestResult{}, err
	}
	stage, err := parseStage(in.Stage, Development)
	if err != nil {
		return TestResult{}, err
	}
	if !etag.WellFormed(ifMatch) {
		return TestResult{}, apierror.InvalidIfMatchVersion()
	}
	if len(in.Event) > maxEventObjectSize {
		return TestResult{}, apierror.InvalidArgument("The parameter EventObject is %d bytes, more than the maximum of %d bytes.", len(in.Event), maxEventObjectSize)
	}
	if s.tester == nil {
		return TestResult{}, apierror.TestFunctionFailed("No JavaScript runtime is configured.")
	}
	var r *record
	var code []byte
	err = s.st.View(ctx, func(tx store.ReadTx) error {
		var err error
		if r, err = loadRecord(tx, account, name); err != nil {
			return err
		}
		st := r.stage(stage)
		if st == nil {
			return apierror.NoSuchFunctionExists(name)
		}
		if err := checkIfMatch(ifMatch, r); err != nil && ifMatch != etag.ForVersion(st.Version) {
			return err
		}
		code, err = loadCode(tx, account, name, stage)
		return err
	})
	if err != nil {
		return TestResult{}, apiError(err)
	}
	status, err := s.status(ctx, account, r)
	if err != nil {
		return TestResult{}, apiError(err)
	}
	sum := r.summary(account, stage, status)
	reader, err := s.kvsReader(ctx, sum.Config)
	if err != nil {
		return TestResult{}, apiError(err)
	}
	out, err := s.tester.Test(ctx, runtime.TestRequest{
		Code:    code,
		Runtime: sum.Config.Runtime,
		Event:   in.Event,
		Now:     s.opts.Clock(),
		KVS:     reader,
	})
	if err != nil {
		if e := apierror.As(err); e != nil {
			return TestResult{}, e
		}
		return TestResult{}, apierror.TestFunctionFailed("The CloudFront function failed: %v", err)
	}
	return TestResult{
		Summary:            sum,
		ComputeUtilization: out.ComputeUtilization,
		Logs:               out.Logs,
		ErrorMessage:       out.ErrorMessage,
		Output:             out.Output,
	}, nil
}
