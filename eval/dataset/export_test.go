package dataset

import "github.com/planwise/planwise/plan"

// Internals the external tests (data_scores_test.go, which scores gold plans with
// package eval/plans) read.
var (
	EachString     = plan.WalkStrings
	NESTFULBareRef = nestfulBareRef
)

const NESTFULResult = nestfulResult

// The parsers, for the fuzz targets.
var (
	ParseNESTFUL   = parseNESTFUL
	ParseTaskBench = parseTaskBench
)

type TaskBenchSig = taskBenchSig

func NewTaskBenchSig(args []string, output string) TaskBenchSig {
	return taskBenchSig{args: args, output: output}
}
