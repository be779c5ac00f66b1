package schema

import (
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"fmt"
	"slices"
	"sync"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// URLs of the embedded Open Badges 3.0 schemas. The first five are the
// published (lenient) schemas, served by 1EdTech at these URLs; credentials
// name them in credentialSchema. The Strict… URLs are the $id values of the
// strict 2024 build.
const (
	AchievementCredentialURL           = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential_schema.json"
	EndorsementCredentialURL           = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential_schema.json"
	ProfileURL                         = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile_schema.json"
	GetOpenBadgeCredentialsResponseURL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_getopenbadgecredentialsresponse_schema.json"
	ImsxStatusInfoURL                  = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_imsx_statusinfo_schema.json"

	StrictAchievementCredentialURL           = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_achievementcredential-jsonschema1.json"
	StrictEndorsementCredentialURL           = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_endorsementcredential-jsonschema1.json"
	StrictProfileURL                         = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_profile-jsonschema1.json"
	StrictGetOpenBadgeCredentialsResponseURL = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_getopenbadgecredentialsresponse-jsonschema1.json"
	StrictImsxStatusInfoURL                  = "https://purl.imsglobal.org/spec/ob/v3p0/schema/json/ob_v3p0_imsx_statusinfo-jsonschema1.json"
)

//go:embed schemas/purl/*.json schemas/strict-2024/*.json schemas/microcred-eu-v1.schema.json
var schemaFS embed.FS

// embeddedSchema is one pinned schema file, compiled at first use and then
// shared by every Validator (the OB3 schemas refer only to themselves, so
// their compiled form does not depend on what a Validator registered).
type embeddedSchema struct {
	url    string // the file's $id
	file   string // path in schemaFS
	sha256 string // hex SHA-256 of the file's bytes
	strict string // for a lenient schema: the URL of its strict counterpart

	load    func() ([]byte, error)
	compile func() (*jsonschema.Schema, error)
}

// pinnedSchemas lists the embedded files with the SHA-256 of the bytes
// published at their origin (see schemas/SOURCES.md). A file whose hash does
// not match is never used.
var pinnedSchemas = []*embeddedSchema{
	{url: AchievementCredentialURL, file: "schemas/purl/ob_v3p0_achievementcredential_schema.json", sha256: "b7358e895f492e74055dc6bfc7ffc420d0e497f90c4579fb83d9519b86d393ea", strict: StrictAchievementCredentialURL},
	{url: EndorsementCredentialURL, file: "schemas/purl/ob_v3p0_endorsementcredential_schema.json", sha256: "786b1190ea97e7e339d8057f02414603c0e2b8b1cbe46fd72165c73f39a256c6", strict: StrictEndorsementCredentialURL},
	{url: ProfileURL, file: "schemas/purl/ob_v3p0_profile_schema.json", sha256: "6b268f2caa591bf657e2a290e195713c41dc2db4e1c797723cfd00a1a83f8f13", strict: StrictProfileURL},
	{url: GetOpenBadgeCredentialsResponseURL, file: "schemas/purl/ob_v3p0_getopenbadgecredentialsresponse_schema.json", sha256: "26a2c1ef205f3f49682502994ae6567acfbf64f0edf6c4944e6d411b30c6d566", strict: StrictGetOpenBadgeCredentialsResponseURL},
	{url: ImsxStatusInfoURL, file: "schemas/purl/ob_v3p0_imsx_statusinfo_schema.json", sha256: "578a26bc71c9c3a63d84ee334d3eb0cc03fee3cbd2716bbf0b5b77e630ae03de", strict: StrictImsxStatusInfoURL},
	{url: StrictAchievementCredentialURL, file: "schemas/strict-2024/achievementcredential.json", sha256: "5753fb3ecf7d024ed273dd364bd683f483eb47257e718e6618832cf89eb2083a"},
	{url: StrictEndorsementCredentialURL, file: "schemas/strict-2024/endorsementcredential.json", sha256: "4627e1878848d0192c3f9e26f09ef88a96ad48a46f5fca11b80b679ece0de345"},
	{url: StrictProfileURL, file: "schemas/strict-2024/profile.json", sha256: "9b05049f720b8ad9bd7aed358ca59c643c34bf1cec0b29fd7baa8bf98efed164"},
	{url: StrictGetOpenBadgeCredentialsResponseURL, file: "schemas/strict-2024/getopenbadgecredentialsresponse.json", sha256: "37fd69152b5ad8df481fc3c25a8f56f6af9020d873f9937c2b617f5b4b42bf6a"},
	{url: StrictImsxStatusInfoURL, file: "schemas/strict-2024/imsx_statusinfo.json", sha256: "5e0c865c697f6662c29abe9e623981f2d78823d16646c1479c959b3d84aaf569"},
	{url: EUMicroCredentialSchemaURL, file: "schemas/microcred-eu-v1.schema.json", sha256: euMicroCredentialSchemaSHA256},
}

// embeddedByURL indexes pinnedSchemas by URL.
var embeddedByURL = func() map[string]*embeddedSchema {
	m := make(map[string]*embeddedSchema, len(pinnedSchemas))
	for _, e := range pinnedSchemas {
		e.load = sync.OnceValues(e.readVerified)
		e.compile = sync.OnceValues(e.doCompile)
		m[e.url] = e
	}
	return m
}()

// EmbeddedSchemas returns the URLs of the schemas embedded in this package,
// sorted: the published OB 3.0 schemas, the strict 2024 build and the
// project's EU micro-credential profile schema.
func EmbeddedSchemas() []string {
	urls := make([]string, 0, len(pinnedSchemas))
	for _, e := range pinnedSchemas {
		urls = append(urls, e.url)
	}
	slices.Sort(urls)
	return urls
}

// EmbeddedSchema returns a copy of the bytes of the embedded schema at url,
// and false when url is not embedded or its copy failed the SHA-256 check.
func EmbeddedSchema(url string) ([]byte, bool) {
	e, ok := embeddedByURL[url]
	if !ok {
		return nil, false
	}
	b, err := e.load()
	if err != nil {
		return nil, false
	}
	return slices.Clone(b), true
}

// readVerified reads the file and checks its pin.
func (e *embeddedSchema) readVerified() ([]byte, error) {
	b, err := schemaFS.ReadFile(e.file)
	if err != nil {
		return nil, fmt.Errorf("schema: embedded schema %s: %w", e.url, err)
	}
	sum := sha256.Sum256(b)
	if hex.EncodeToString(sum[:]) != e.sha256 {
		return nil, fmt.Errorf("schema: embedded schema %s failed its SHA-256 check", e.url)
	}
	return b, nil
}

// doc returns a freshly decoded copy of the schema document.
func (e *embeddedSchema) doc() (any, error) {
	b, err := e.load()
	if err != nil {
		return nil, err
	}
	return decodeSchema(b, len(b))
}

// doCompile compiles the schema on its own: the OB3 schemas only use
// references inside themselves, so any other reference is an error.
func (e *embeddedSchema) doCompile() (*jsonschema.Schema, error) {
	d, err := e.doc()
	if err != nil {
		return nil, err
	}
	c := newCompiler(loaderFunc(func(u string) (any, error) {
		return nil, &UnknownSchemaError{URL: u, Err: errNotEmbedded}
	}))
	if err := c.AddResource(e.url, d); err != nil {
		return nil, fmt.Errorf("schema: embedded schema %s: %w", e.url, err)
	}
	s, err := c.Compile(e.url)
	if err != nil {
		return nil, fmt.Errorf("schema: compile embedded schema %s: %w", e.url, err)
	}
	return s, nil
}
