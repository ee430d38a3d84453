package sim

import (
	"errors"
	"math/rand/v2"
)

func newCyberKernel(cfg *Config, rnd *rand.Rand) (kernel, error) {
	return nil, errors.New("sim: cyber kernel not yet implemented")
}
