package execute_test

import (
	"context"
	"fmt"

	"github.com/planwise/planwise/execute"
	"github.com/planwise/planwise/plan"
	"github.com/planwise/planwise/tool"
)

func ExampleExecutor_Run() {
	reg, err := tool.NewRegistry(tool.Builtins()...)
	if err != nil {
		panic(err)
	}
	ex := execute.New(reg)
	defer ex.Close()
	p, err := plan.Parse([]byte(`{"steps":[
		{"id":"s1","tool":"calculate","args":{"expression":"240 * 15 / 100"}},
		{"id":"s2","tool":"render_template","args":{"template":"15% of 240 is {{.v}}","values":{"v":"${s1.result}"}},
		 "if":"s1.result > 10"}]}`))
	if err != nil {
		panic(err)
	}
	res := ex.Run(context.Background(), p, execute.RunOptions{})
	fmt.Println(res.Status)
	for _, s := range res.Steps {
		fmt.Println(s.ID, s.Status, s.Output)
	}
	// Output:
	// succeeded
	// s1 succeeded map[result:36]
	// s2 succeeded map[text:15% of 240 is 36]
}
