package sim

import (
	"errors"
	"math/rand/v2"
)

func newGameKernel(cfg *Config, rnd *rand.Rand) (kernel, error) {
	return nil, errors.New("sim: game kernel not yet implemented")
}
