package edge

import (
	"sync"
	"time"
)

// Function logs. CloudFront sends the console.log lines of LIVE functions to CloudWatch Logs,
// each prefixed with the request ID and bracketed by "<id> START DistributionID: <id>" and
// "<id> END" (spec §9.9). LocalFront keeps them in memory, per function, in a ring bounded
// by lines and bytes, and lets readers follow new lines as they come.

// LogLimits bound the lines kept per function. Zero values take the defaults.
type LogLimits struct {
	MaxLines int // default 2000
	MaxBytes int // default 512 KiB
	// Buffer is how many lines a follower may fall behind before lines are dropped for it
	// (the edge never waits for a reader); default 1024.
	Buffer int
}

func (l LogLimits) withDefaults() LogLimits {
	if l.MaxLines <= 0 {
		l.MaxLines = 2000
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = 512 << 10
	}
	if l.Buffer <= 0 {
		l.Buffer = 1024
	}
	return l
}

// LogLine is one line of a function's log.
type LogLine struct {
	Seq            uint64 // increasing per function, from 1
	Time           time.Time
	RequestID      string
	DistributionID string
	// Text is the line as CloudWatch shows it: "<request id> <message>", or the START and
	// END markers.
	Text string
}

// FunctionLogs keeps the recent log lines of every function. It is safe for concurrent use.
type FunctionLogs struct {
	limits LogLimits
	mu     sync.Mutex
	logs   map[string]*functionLog // by account + "/" + name
}

type functionLog struct {
	buf      []LogLine // ring; grows up to limits.MaxLines
	head, n  int       // index of the oldest line; number of lines
	bytes    int
	seq      uint64
	dropped  uint64 // lines pushed out by the bounds
	watchers map[*LogSubscription]struct{}
}

// NewFunctionLogs returns an empty store.
func NewFunctionLogs(limits LogLimits) *FunctionLogs {
	return &FunctionLogs{limits: limits.withDefaults(), logs: map[string]*functionLog{}}
}

func logKey(account, name string) string { return account + "/" + name }

// record appends one invocation's lines: START, each console.log line, the error if the run
// failed, END.
func (fl *FunctionLogs) record(account, name, distributionID, requestID string, now time.Time, lines []string, errText string) {
	texts := make([]string, 0, len(lines)+3)
	texts = append(texts, requestID+" START DistributionID: "+distributionID)
	for _, l := range lines {
		texts = append(texts, requestID+" "+l)
	}
	if errText != "" {
		texts = append(texts, requestID+" ERROR "+errText)
	}
	texts = append(texts, requestID+" END")

	fl.mu.Lock()
	defer fl.mu.Unlock()
	f := fl.get(logKey(account, name))
	for _, t := range texts {
		f.seq++
		line := LogLine{Seq: f.seq, Time: now, RequestID: requestID, DistributionID: distributionID, Text: t}
		f.push(line, fl.limits)
		for w := range f.watchers {
			w.deliver(line)
		}
	}
}

func (fl *FunctionLogs) get(key string) *functionLog {
	f := fl.logs[key]
	if f == nil {
		f = &functionLog{}
		fl.logs[key] = f
	}
	return f
}

// lineCost is what a line counts against MaxBytes: its text plus the fixed fields.
func lineCost(l *LogLine) int { return len(l.Text) + len(l.RequestID) + 64 }

func (f *functionLog) push(line LogLine, lim LogLimits) {
	size := lineCost(&line)
	for f.n > 0 && (f.bytes+size > lim.MaxBytes || f.n >= lim.MaxLines) {
		f.dropOldest()
	}
	if f.n == len(f.buf) { // full ring below MaxLines: grow it
		nb := make([]LogLine, min(max(16, 2*len(f.buf)), lim.MaxLines))
		for i := 0; i < f.n; i++ {
			nb[i] = f.at(i)
		}
		f.buf, f.head = nb, 0
	}
	f.buf[(f.head+f.n)%len(f.buf)] = line
	f.n++
	f.bytes += size
}

func (f *functionLog) at(i int) LogLine { return f.buf[(f.head+i)%len(f.buf)] }

func (f *functionLog) dropOldest() {
	f.bytes -= lineCost(&f.buf[f.head])
	f.buf[f.head] = LogLine{}
	f.head = (f.head + 1) % len(f.buf)
	f.n--
	f.dropped++
}

func (f *functionLog) all(after uint64) []LogLine {
	var out []LogLine
	for i := 0; i < f.n; i++ {
		if l := f.at(i); l.Seq > after {
			out = append(out, l)
		}
	}
	return out
}

// Lines returns the kept lines of a function with a sequence number above after, oldest
// first.
func (fl *FunctionLogs) Lines(account, name string, after uint64) []LogLine {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	if f := fl.logs[logKey(account, name)]; f != nil {
		return f.all(after)
	}
	return nil
}

// Logged reports whether the function has recorded any line (even one since pushed out).
func (fl *FunctionLogs) Logged(account, name string) bool {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	f := fl.logs[logKey(account, name)]
	return f != nil && f.seq > 0
}

// LogSubscription delivers a function's new lines as they are recorded.
type LogSubscription struct {
	fl      *FunctionLogs
	key     string
	c       chan LogLine
	dropped uint64 // lines the reader was too slow for (under fl.mu)
}

// Lines is the channel of new lines. It is closed by Close.
func (s *LogSubscription) Lines() <-chan LogLine { return s.c }

// Dropped is how many lines were skipped because the reader fell behind.
func (s *LogSubscription) Dropped() uint64 {
	s.fl.mu.Lock()
	defer s.fl.mu.Unlock()
	return s.dropped
}

func (s *LogSubscription) deliver(l LogLine) {
	select {
	case s.c <- l:
	default:
		s.dropped++
	}
}

// Close stops the subscription and closes its channel.
func (s *LogSubscription) Close() {
	s.fl.mu.Lock()
	defer s.fl.mu.Unlock()
	if f := s.fl.logs[s.key]; f != nil {
		if _, ok := f.watchers[s]; ok {
			delete(f.watchers, s)
			close(s.c)
		}
	}
}

// Subscribe follows a function's log from now on. It also returns the lines already kept, so
// a reader can print the recent history and then follow without a gap or a repeat.
func (fl *FunctionLogs) Subscribe(account, name string) ([]LogLine, *LogSubscription) {
	fl.mu.Lock()
	defer fl.mu.Unlock()
	key := logKey(account, name)
	f := fl.get(key)
	if f.watchers == nil {
		f.watchers = map[*LogSubscription]struct{}{}
	}
	s := &LogSubscription{fl: fl, key: key, c: make(chan LogLine, fl.limits.Buffer)}
	f.watchers[s] = struct{}{}
	return f.all(0), s
}
