"""Anju (安居): casework platform for grid-based community governance."""
