package pattern

import (
	"fmt"
	"testing"

	"github.com/planwise/planwise/tool"
)

func TestZZGloss(t *testing.T) {
	ts, err := tool.LoadPaths("../eval/cases/catalogs/workplace.yaml", "../eval/cases/catalogs/hotel.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for _, tl := range ts {
		ti := newToolInfo(tl, nil)
		for _, pr := range ti.params {
			if pr.glosses != nil {
				fmt.Println(tl.Name, pr.Name, pr.kind == pEnum, pr.glosses)
			}
		}
	}
}
