package jobs

import (
	"errors"

	"bwbulk/broadworks/oci"
)

// errNoXML means the XML command codec is not available; commands are then
// stored as JSON through the oci registry.
var errNoXML = errors.New("jobs: no XML codec")

func marshalXML(c oci.Command) ([]byte, error) { return nil, errNoXML }

func unmarshalXML(b []byte) (oci.Command, error) { return nil, errNoXML }
