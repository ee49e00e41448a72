"""The meldcode step after the result: the afwegingskader as guided questions, and the
handover for a call to Veilig Thuis."""
