// Package jsonenctest helps tests hold a hand-written JSON appender (package jsonenc) to
// encoding/json: Fill gives every exported field of a value something to write, so that
// a field added to a type and not to its appender makes the comparison fail.
package jsonenctest

import (
	"reflect"
	"time"
)

// Fill sets every exported field of the struct v points to, and of the structs it holds,
// to a value that is not empty (omitempty keeps it): strings with characters JSON
// escapes, true, numbers, one-element lists, a one-key map, a time. Pointers are
// followed (a new value when nil), and a map or list of structs gets one filled element.
func Fill(v any) {
	fill(reflect.ValueOf(v).Elem())
}

var timeType = reflect.TypeFor[time.Time]()

func fill(v reflect.Value) {
	switch v.Kind() {
	case reflect.Struct:
		if v.Type() == timeType {
			v.Set(reflect.ValueOf(time.Date(2026, 12, 6, 10, 30, 0, 123456789, time.FixedZone("", 3600))))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i))
			}
		}
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		fill(v.Elem())
	case reflect.String:
		v.SetString("a <b> & \"c\"\n\u2028é")
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(-7)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(7)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(0.125)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 1, 1)
		fill(s.Index(0))
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		k, e := reflect.New(v.Type().Key()).Elem(), reflect.New(v.Type().Elem()).Elem()
		fill(k)
		fill(e)
		m.SetMapIndex(k, e)
		v.Set(m)
	case reflect.Interface:
		v.Set(reflect.ValueOf("any <value>"))
	}
}
