package kvsxml

import (
	"encoding/xml"
	"time"

	"github.com/localfront/localfront/internal/kvs"
)

const xmlDeclaration = `<?xml version="1.0" encoding="UTF-8"?>` + "\n"

// KeyValueStore is the KeyValueStore element, members in the model's order (spec §4).
// Xmlns is set on a document root and left empty inside a list.
type KeyValueStore struct {
	XMLName          xml.Name `xml:"KeyValueStore"`
	Xmlns            string   `xml:"xmlns,attr,omitempty"`
	Name             string   `xml:"Name"`
	ID               string   `xml:"Id"`
	Comment          string   `xml:"Comment"`
	ARN              string   `xml:"ARN"`
	Status           string   `xml:"Status,omitempty"`
	LastModifiedTime string   `xml:"LastModifiedTime"`
}

// KeyValueStoreList is ListKeyValueStores' payload. Items is omitted when the page is
// empty (CloudFront's list idiom: Quantity 0 without Items).
type KeyValueStoreList struct {
	XMLName    xml.Name    `xml:"KeyValueStoreList"`
	Xmlns      string      `xml:"xmlns,attr"`
	NextMarker string      `xml:"NextMarker,omitempty"`
	MaxItems   int         `xml:"MaxItems"`
	Quantity   int         `xml:"Quantity"`
	Items      *storeItems `xml:"Items,omitempty"`
}

type storeItems struct {
	Stores []KeyValueStore `xml:"KeyValueStore"`
}

// StoreXML converts a store to its element (no namespace attribute).
func StoreXML(s kvs.Store) KeyValueStore {
	return KeyValueStore{
		Name:             s.Name,
		ID:               s.ID,
		Comment:          s.Comment,
		ARN:              s.ARN,
		Status:           s.Status,
		LastModifiedTime: Timestamp(s.LastModified),
	}
}

// ListXML converts one page of ListKeyValueStores.
func ListXML(out kvs.ListOutput) KeyValueStoreList {
	l := KeyValueStoreList{Xmlns: Namespace, NextMarker: out.NextMarker, MaxItems: out.MaxItems, Quantity: len(out.Items)}
	if len(out.Items) > 0 {
		l.Items = &storeItems{Stores: make([]KeyValueStore, len(out.Items))}
		for i, s := range out.Items {
			l.Items.Stores[i] = StoreXML(s)
		}
	}
	return l
}

// EncodeStore renders a KeyValueStore document (Create, Describe and Update answers).
func EncodeStore(s kvs.Store) []byte {
	x := StoreXML(s)
	x.Xmlns = Namespace
	return marshal(x)
}

// EncodeList renders a KeyValueStoreList document.
func EncodeList(out kvs.ListOutput) []byte { return marshal(ListXML(out)) }

// Timestamp renders a time as CloudFront does: UTC, milliseconds, "Z" (spec §1.2).
func Timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

// marshal renders v with the XML declaration. The types above contain only strings and
// ints, which always marshal.
func marshal(v any) []byte {
	body, err := xml.Marshal(v)
	if err != nil {
		panic("kvsxml: " + err.Error())
	}
	return append([]byte(xmlDeclaration), body...)
}
