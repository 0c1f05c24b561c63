"""The Social Networking Protocol as data, and the matcher that finds the section a question is about."""
