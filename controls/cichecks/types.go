package cichecks

import "github.com/rhysd/actionlint"

type ciString = actionlint.String
