package scenarios

import "testing"

func TestShippedLoad(t *testing.T) {
	for _, e := range List() {
		s, err := Open(e.Name)
		if err != nil {
			t.Errorf("%s: %v", e.Name, err)
			continue
		}
		t.Logf("%s %q", s.Name, s.Title)
	}
}
