"""The advice itself: what the bundled rule set recommends to realistic jurisdictions, held to
the domain brief and the sources it cites, through the engine and the command line."""
