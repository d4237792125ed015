package kvs

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// parseImport reads the documented import format, {"data":[{"key":"k","value":"v"},…]}
// (spec §4, S13), enforcing the key and value limits and rejecting duplicate keys. Error
// texts become the store's FailureReason.
func parseImport(data []byte) ([]KeyValue, error) {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF")) // tolerate a UTF-8 byte order mark
	if !utf8.Valid(data) {
		return nil, errors.New("The import file is not valid UTF-8.")
	}
	var doc struct {
		Data *[]*importItem `json:"data"`
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	if err := dec.Decode(&doc); err != nil {
		return nil, fmt.Errorf(`The import file is not valid JSON of the form {"data":[{"key":"…","value":"…"}]}: %v`, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("The import file has content after its JSON object.")
	}
	if doc.Data == nil {
		return nil, errors.New(`The import file has no "data" array.`)
	}
	items := make([]KeyValue, 0, len(*doc.Data))
	seen := make(map[string]bool, len(*doc.Data))
	for i, item := range *doc.Data {
		if item == nil {
			return nil, fmt.Errorf("Item %d is not an object with \"key\" and \"value\".", i+1)
		}
		key, err := importString(item.Key, "key", i)
		if err != nil {
			return nil, err
		}
		value, err := importString(item.Value, "value", i)
		if err != nil {
			return nil, err
		}
		if e := checkKey(key); e != nil {
			return nil, fmt.Errorf("Item %d: %s", i+1, e.Message)
		}
		if e := checkValue(key, value); e != nil {
			return nil, fmt.Errorf("Item %d: %s", i+1, e.Message)
		}
		if seen[key] {
			return nil, fmt.Errorf("The import file contains the key '%s' more than once.", key)
		}
		seen[key] = true
		items = append(items, KeyValue{Key: key, Value: value})
	}
	return items, nil
}

// importItem keeps both members raw, so a missing one (nil) is told from a wrong type
// (a JSON null arrives as the bytes "null").
type importItem struct {
	Key   json.RawMessage `json:"key"`
	Value json.RawMessage `json:"value"`
}

func importString(raw json.RawMessage, field string, i int) (string, error) {
	if raw == nil {
		return "", fmt.Errorf(`Item %d has no "%s".`, i+1, field)
	}
	var s string
	if bytes.Equal(raw, []byte("null")) || json.Unmarshal(raw, &s) != nil {
		return "", fmt.Errorf(`Item %d: "%s" must be a string.`, i+1, field)
	}
	return s, nil
}
