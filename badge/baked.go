package badge

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"strings"
)

// Limits of the baked-badge extractors. A baked image is untrusted input:
// every loop and allocation below is bounded by one of these.
const (
	// MaxBakedBytes is the largest PNG or SVG the extractors read (16 MiB).
	MaxBakedBytes = 16 << 20
	// MaxPNGChunks bounds the number of PNG chunks walked.
	MaxPNGChunks = 10000
	// MaxBakedCredentialBytes bounds the extracted credential, including
	// after decompressing a compressed iTXt chunk (1 MiB, vc.Parse's limit).
	MaxBakedCredentialBytes = 1 << 20
	// MaxSVGDepth bounds the element nesting of an SVG.
	MaxSVGDepth = 64
	// MaxSVGTokens bounds the XML tokens read from an SVG.
	MaxSVGTokens = 200000
)

// PNGKeyword is the iTXt keyword of an Open Badges 3.0 baked PNG (the
// OB 3.0 baking rules; the 1EdTech fixtures use it).
const PNGKeyword = "openbadgecredential"

// SVGNamespace is the XML namespace of the <openbadges:credential> element
// of an Open Badges 3.0 baked SVG.
const SVGNamespace = "https://purl.imsglobal.org/ob/v3p0"

// ErrBaked is wrapped by every error of ExtractPNG and ExtractSVG.
var ErrBaked = errors.New("baked badge")

var pngSignature = []byte("\x89PNG\r\n\x1a\n")

// IsPNG reports whether data starts with the PNG signature.
func IsPNG(data []byte) bool { return bytes.HasPrefix(data, pngSignature) }

// IsSVG reports whether data looks like XML (after leading white space and
// an optional UTF-8 byte order mark): it starts with '<'.
func IsSVG(data []byte) bool {
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	data = bytes.TrimLeft(data, " \t\r\n")
	return len(data) > 0 && data[0] == '<'
}

func bakedErr(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrBaked, fmt.Sprintf(format, args...))
}

// ExtractPNG returns the credential baked into a PNG: the text of the first
// iTXt chunk whose keyword is PNGKeyword (credential JSON or a compact JWS).
// It walks the chunks with their CRCs checked, at most MaxPNGChunks of
// them, refuses a chunk length beyond the data, reads compressed iTXt text
// (zlib) up to MaxBakedCredentialBytes, and stops at IEND.
func ExtractPNG(data []byte) ([]byte, error) {
	if len(data) > MaxBakedBytes {
		return nil, bakedErr("PNG larger than %d bytes", MaxBakedBytes)
	}
	if !IsPNG(data) {
		return nil, bakedErr("not a PNG (no signature)")
	}
	rest := data[len(pngSignature):]
	for n := 0; ; n++ {
		if n >= MaxPNGChunks {
			return nil, bakedErr("more than %d PNG chunks", MaxPNGChunks)
		}
		if len(rest) < 12 {
			return nil, bakedErr("PNG truncated at chunk %d (no IEND)", n)
		}
		length := binary.BigEndian.Uint32(rest[:4])
		if length > 1<<31-1 || uint64(length) > uint64(len(rest)-12) {
			return nil, bakedErr("PNG chunk %d: length %d exceeds the data", n, length)
		}
		typ := rest[4:8]
		body := rest[8 : 8+length]
		crc := binary.BigEndian.Uint32(rest[8+length : 12+length])
		if crc32.ChecksumIEEE(rest[4:8+length]) != crc {
			return nil, bakedErr("PNG chunk %d (%q): bad CRC", n, typ)
		}
		rest = rest[12+length:]
		switch string(typ) {
		case "IEND":
			return nil, bakedErr("PNG has no iTXt chunk with keyword %q", PNGKeyword)
		case "iTXt":
			text, ok, err := parseITXt(body)
			if err != nil {
				return nil, bakedErr("PNG chunk %d: %v", n, err)
			}
			if ok {
				return text, nil
			}
		}
	}
}

// parseITXt reads an iTXt chunk: keyword, NUL, compression flag,
// compression method, language tag, NUL, translated keyword, NUL, text.
// ok is false for another keyword.
func parseITXt(b []byte) (text []byte, ok bool, err error) {
	kw, rest, found := bytes.Cut(b, []byte{0})
	if !found {
		return nil, false, errors.New("iTXt without keyword terminator")
	}
	if string(kw) != PNGKeyword {
		return nil, false, nil
	}
	if len(rest) < 2 {
		return nil, false, errors.New("iTXt truncated")
	}
	flag, method := rest[0], rest[1]
	rest = rest[2:]
	if _, rest, found = bytes.Cut(rest, []byte{0}); !found {
		return nil, false, errors.New("iTXt without language tag terminator")
	}
	if _, rest, found = bytes.Cut(rest, []byte{0}); !found {
		return nil, false, errors.New("iTXt without translated keyword terminator")
	}
	switch flag {
	case 0:
		if len(rest) > MaxBakedCredentialBytes {
			return nil, false, fmt.Errorf("iTXt text larger than %d bytes", MaxBakedCredentialBytes)
		}
		return rest, true, nil
	case 1:
		if method != 0 {
			return nil, false, fmt.Errorf("iTXt compression method %d unknown", method)
		}
		zr, err := zlib.NewReader(bytes.NewReader(rest))
		if err != nil {
			return nil, false, fmt.Errorf("iTXt: %v", err)
		}
		out, err := io.ReadAll(io.LimitReader(zr, MaxBakedCredentialBytes+1))
		if err != nil {
			return nil, false, fmt.Errorf("iTXt: %v", err)
		}
		if len(out) > MaxBakedCredentialBytes {
			return nil, false, fmt.Errorf("iTXt decompresses to more than %d bytes", MaxBakedCredentialBytes)
		}
		return out, true, nil
	default:
		return nil, false, fmt.Errorf("iTXt compression flag %d invalid", flag)
	}
}

// ExtractSVG returns the credential baked into an SVG: the verify attribute
// of the first <openbadges:credential> element (a compact JWS) when it has
// one, else the element's text (credential JSON, usually in CDATA). The
// document is read with encoding/xml, which never loads external entities
// or DTDs; nesting is limited to MaxSVGDepth, tokens to MaxSVGTokens and the
// credential to MaxBakedCredentialBytes.
func ExtractSVG(data []byte) ([]byte, error) {
	if len(data) > MaxBakedBytes {
		return nil, bakedErr("SVG larger than %d bytes", MaxBakedBytes)
	}
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Strict = true
	d.Entity = nil
	depth, tokens := 0, 0
	inCred := -1 // depth of the credential element while inside it
	var text bytes.Buffer
	for {
		tok, err := d.Token()
		if err == io.EOF {
			if inCred >= 0 {
				return nil, bakedErr("SVG ends inside <openbadges:credential>")
			}
			return nil, bakedErr("SVG has no <openbadges:credential> element")
		}
		if err != nil {
			return nil, bakedErr("SVG: %v", err)
		}
		if tokens++; tokens > MaxSVGTokens {
			return nil, bakedErr("SVG has more than %d XML tokens", MaxSVGTokens)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if depth++; depth > MaxSVGDepth {
				return nil, bakedErr("SVG nested deeper than %d elements", MaxSVGDepth)
			}
			if inCred < 0 && t.Name.Local == "credential" && isOBPrefix(t.Name.Space) {
				for _, a := range t.Attr {
					if a.Name.Local == "verify" {
						v := strings.TrimSpace(a.Value)
						if len(v) > MaxBakedCredentialBytes {
							return nil, bakedErr("SVG verify attribute larger than %d bytes", MaxBakedCredentialBytes)
						}
						return []byte(v), nil
					}
				}
				inCred = depth
			}
		case xml.EndElement:
			if inCred == depth {
				out := bytes.TrimSpace(text.Bytes())
				if len(out) == 0 {
					return nil, bakedErr("SVG <openbadges:credential> is empty")
				}
				return out, nil
			}
			depth--
			if depth < 0 {
				return nil, bakedErr("SVG: unbalanced end element")
			}
		case xml.CharData:
			if inCred >= 0 {
				if text.Len()+len(t) > MaxBakedCredentialBytes {
					return nil, bakedErr("SVG credential larger than %d bytes", MaxBakedCredentialBytes)
				}
				text.Write(t)
			}
		case xml.Directive:
			// A DOCTYPE is allowed (SVG 1.1 files have one) but its
			// internal subset is never processed: encoding/xml defines no
			// entities from it.
		}
	}
}

// isOBPrefix reports whether an element's resolved namespace is the Open
// Badges one; an unbound "openbadges" prefix (which encoding/xml leaves as
// the namespace) is accepted too, as some bakers omit the xmlns.
func isOBPrefix(space string) bool {
	return space == "openbadges" || space == SVGNamespace
}
