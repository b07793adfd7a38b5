"""The ground floor: primitives every layer shares and that import nothing above them:
the Article record, the raw Page, Vietnamese dates and folding, safe HTML, URLs, the
clock and folders of captured pages."""
