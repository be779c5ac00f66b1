package multibase_test

import (
	"fmt"

	"github.com/microcred/microcred/internal/multibase"
)

func ExampleDecodeMultikey() {
	codec, key, err := multibase.DecodeMultikey("z6MkrJVnaZkeFzdQyMZu1cgjg7k1pZZ6pvBQ7XJPt4swbTQ2")
	if err != nil {
		panic(err)
	}
	fmt.Println(codec, len(key))
	// Output: ed25519-pub 32
}

func ExampleEncode() {
	fmt.Println(multibase.Encode(multibase.Base58BTC, []byte("yes mani !")))
	fmt.Println(multibase.Encode(multibase.Base64URL, []byte("yes mani !")))
	// Output:
	// z7paNL19xttacUY
	// ueWVzIG1hbmkgIQ
}
