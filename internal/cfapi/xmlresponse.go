package cfapi

import (
	"encoding/xml"
	"strconv"
	"time"

	"github.com/localfront/localfront/internal/functions"
)

// Response payloads. The root element carries the CloudFront namespace (spec §1.2); nested
// copies of the same type leave Xmlns empty so the attribute is omitted.

type xmlKVSAssociation struct {
	ARN string `xml:"KeyValueStoreARN"`
}

type xmlKVSAssociationsOut struct {
	Quantity int               `xml:"Quantity"`
	Items    *xmlKVSAssocItems `xml:"Items,omitempty"` // omitted when Quantity is 0
}

type xmlKVSAssocItems struct {
	Associations []xmlKVSAssociation `xml:"KeyValueStoreAssociation"`
}

type xmlFunctionConfigOut struct {
	Comment                   string                `xml:"Comment"`
	Runtime                   string                `xml:"Runtime"`
	KeyValueStoreAssociations xmlKVSAssociationsOut `xml:"KeyValueStoreAssociations"`
}

type xmlFunctionMetadata struct {
	FunctionARN      string `xml:"FunctionARN"`
	Stage            string `xml:"Stage"`
	CreatedTime      string `xml:"CreatedTime,omitempty"`
	LastModifiedTime string `xml:"LastModifiedTime"`
}

type xmlFunctionSummary struct {
	XMLName          xml.Name             `xml:"FunctionSummary"`
	Xmlns            string               `xml:"xmlns,attr,omitempty"`
	Name             string               `xml:"Name"`
	Status           string               `xml:"Status"`
	FunctionConfig   xmlFunctionConfigOut `xml:"FunctionConfig"`
	FunctionMetadata xmlFunctionMetadata  `xml:"FunctionMetadata"`
}

type xmlFunctionList struct {
	XMLName    xml.Name        `xml:"FunctionList"`
	Xmlns      string          `xml:"xmlns,attr"`
	NextMarker string          `xml:"NextMarker,omitempty"`
	MaxItems   int             `xml:"MaxItems"`
	Quantity   int             `xml:"Quantity"`
	Items      xmlSummaryItems `xml:"Items"`
}

type xmlSummaryItems struct {
	Summaries []xmlFunctionSummary `xml:"FunctionSummary"`
}

type xmlTestResult struct {
	XMLName               xml.Name           `xml:"TestResult"`
	Xmlns                 string             `xml:"xmlns,attr"`
	FunctionSummary       xmlFunctionSummary `xml:"FunctionSummary"`
	ComputeUtilization    string             `xml:"ComputeUtilization"`
	FunctionExecutionLogs xmlLogs            `xml:"FunctionExecutionLogs"`
	FunctionErrorMessage  string             `xml:"FunctionErrorMessage"`
	FunctionOutput        string             `xml:"FunctionOutput"`
}

// xmlLogs is a list of strings without a member locationName: entries are <member> (spec §1.2).
type xmlLogs struct {
	Members []string `xml:"member"`
}

type xmlTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type xmlTagsOut struct {
	XMLName xml.Name    `xml:"Tags"`
	Xmlns   string      `xml:"xmlns,attr"`
	Items   xmlTagItems `xml:"Items"`
}

type xmlTagItems struct {
	Tags []xmlTag `xml:"Tag"`
}

// timestamp renders a time the way CloudFront does: UTC, milliseconds, "Z" (spec §1.2).
func timestamp(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z")
}

func summaryXML(s functions.Summary) xmlFunctionSummary {
	assoc := xmlKVSAssociationsOut{Quantity: len(s.Config.KeyValueStoreARNs)}
	if len(s.Config.KeyValueStoreARNs) > 0 {
		items := &xmlKVSAssocItems{Associations: make([]xmlKVSAssociation, len(s.Config.KeyValueStoreARNs))}
		for i, arn := range s.Config.KeyValueStoreARNs {
			items.Associations[i] = xmlKVSAssociation{ARN: arn}
		}
		assoc.Items = items
	}
	return xmlFunctionSummary{
		Name:   s.Name,
		Status: s.Status,
		FunctionConfig: xmlFunctionConfigOut{
			Comment:                   s.Config.Comment,
			Runtime:                   s.Config.Runtime,
			KeyValueStoreAssociations: assoc,
		},
		FunctionMetadata: xmlFunctionMetadata{
			FunctionARN:      s.ARN,
			Stage:            string(s.Stage),
			CreatedTime:      timestamp(s.CreatedTime),
			LastModifiedTime: timestamp(s.LastModifiedTime),
		},
	}
}

func rootSummaryXML(s functions.Summary) xmlFunctionSummary {
	x := summaryXML(s)
	x.Xmlns = Namespace
	return x
}

func functionListXML(out functions.ListOutput) xmlFunctionList {
	l := xmlFunctionList{Xmlns: Namespace, NextMarker: out.NextMarker, MaxItems: out.MaxItems, Quantity: len(out.Items)}
	l.Items.Summaries = make([]xmlFunctionSummary, len(out.Items))
	for i, s := range out.Items {
		l.Items.Summaries[i] = summaryXML(s)
	}
	return l
}

func testResultXML(r functions.TestResult) xmlTestResult {
	return xmlTestResult{
		Xmlns:                 Namespace,
		FunctionSummary:       summaryXML(r.Summary),
		ComputeUtilization:    strconv.Itoa(r.ComputeUtilization),
		FunctionExecutionLogs: xmlLogs{Members: r.Logs},
		FunctionErrorMessage:  r.ErrorMessage,
		FunctionOutput:        r.Output,
	}
}

func tagsXML(tags []functions.Tag) xmlTagsOut {
	out := xmlTagsOut{Xmlns: Namespace}
	out.Items.Tags = make([]xmlTag, len(tags))
	for i, t := range tags {
		out.Items.Tags[i] = xmlTag{Key: t.Key, Value: t.Value}
	}
	return out
}

// marshalXML renders a response payload with the XML declaration.
func marshalXML(v any) ([]byte, error) {
	body, err := xml.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append([]byte(xmlDeclaration), body...), nil
}
