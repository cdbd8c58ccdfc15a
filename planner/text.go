package planner

import (
	"fmt"
	"io"
)

// WriteText prints the response for people: String.
func (r *Response) WriteText(w io.Writer) error {
	_, err := io.WriteString(w, r.String())
	return err
}

// WriteText prints a run's outcome for people: its id, status, duration and where its
// plan came from, then its error, if any. `planwise run` prints it after the steps as
// they finished; the MCP run tool follows it with each step's result.
func (st *RunState) WriteText(w io.Writer) error {
	if _, err := fmt.Fprintf(w, "run %s: %s in %.1f ms (plan from %s)\n", st.ID, st.Status, st.DurationMS, st.Source); err != nil {
		return err
	}
	if st.Error != "" {
		_, err := fmt.Fprintf(w, "  %s\n", st.Error)
		return err
	}
	return nil
}
